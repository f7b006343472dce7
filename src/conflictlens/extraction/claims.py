"""Claims of responsibility and denials.

Forms recognised (from the parse, any case): "X claimed responsibility (for ...)", "responsibility was claimed
by X", "X took / accepted responsibility", "X said it carried out the attack", "X said they were
responsible", "in a statement, X said its fighters ...", and denials "X denied involvement / responsibility /
any role". The claimant is the subject (or agent); "the group" and "it" resolve to the last organisation
named before. The quote is the words in quotation marks in that sentence, or else the whole sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from .lexicon import CARRY_OUT, CLAIM_NOUNS, CLAIM_VERBS, DENY_NOUNS, DENY_VERBS
from .roles import Role, actor_roles
from .spans import Context

_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{8,})[\"\u201d]")
_SELF = frozenset({"it", "its", "we", "our", "they", "their"})


@dataclass
class ClaimFound:
    actor: Role
    quote_start: int
    quote_end: int
    denial: bool
    sent_index: int
    reason: str
    verb: Token


def _subjects(verb: Token) -> list[Token]:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return [c]
        if c.dep_ == "agent":
            return [p for p in c.children if p.dep_ == "pobj"]
    if verb.dep_ in {"conj", "xcomp"}:
        return _subjects(verb.head)
    return []


def find_claims(ctx: Context) -> list[ClaimFound]:
    """Every claim of responsibility and denial in the article, in text order."""
    out: list[ClaimFound] = []
    for k, sent in enumerate(ctx.sents):
        for tok in sent:
            lemma = tok.lemma_.lower()
            kids = list(tok.children)
            found = None
            if lemma in CLAIM_VERBS and tok.pos_ == "VERB":
                objs = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
                if any(o.lemma_.lower() in CLAIM_NOUNS for o in objs):
                    found = (False, f"rule:claim:{lemma} responsibility")
                elif lemma == "claim" and any(o.lemma_.lower() in {"attack", "bombing", "killing", "blast"}
                                              for o in objs):
                    found = (False, "rule:claim:claimed the attack")
            elif lemma in DENY_VERBS and tok.pos_ == "VERB":
                objs = [c for c in kids if c.dep_ == "dobj"]
                if any(o.lemma_.lower() in DENY_NOUNS for o in objs) or any(c.dep_ == "ccomp" for c in kids):
                    found = (True, f"rule:claim:{lemma}")
            elif lemma == "say" and tok.pos_ == "VERB":
                found = _said_it_did(tok)
            elif lemma in {"blame", "accuse", "suspect"} and tok.pos_ == "VERB":
                objs = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
                if objs:
                    actors = [r for r in actor_roles(ctx, objs[0], "rule:blame") if r.kind == "org"]
                    qs, qe = _quote(ctx, sent)
                    for actor in actors:
                        actor.uncertain = True
                        out.append(ClaimFound(actor, qs, qe, False, k, "rule:blame", tok))
                continue
            if found is None:
                continue
            denial, reason = found
            subjects = _subjects(tok)
            if not subjects or any(c.dep_ == "det" and c.lower_ == "no" for s in subjects for c in s.children):
                continue
            if any(s.lower_ in {"nobody", "none"} for s in subjects):
                continue
            if any(c.dep_ == "neg" for c in kids):
                continue  # "has not claimed responsibility"
            actors = [r for s in subjects for r in actor_roles(ctx, s, reason) if r.kind == "org"]
            if not actors:
                actors = [r for s in subjects for r in actor_roles(ctx, s, reason)]
            if not actors:
                continue
            qs, qe = _quote(ctx, sent)
            for actor in actors:
                out.append(ClaimFound(actor, qs, qe, denial, k, reason, tok))
    return out


def _said_it_did(say: Token) -> tuple[bool, str] | None:
    """"X said it carried out the attack" / "X said its fighters stormed ..." -> a claim."""
    for c in say.children:
        if c.dep_ != "ccomp":
            continue
        subj = [s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}]
        if not subj:
            continue
        s = subj[0]
        self_ref = s.lower_ in _SELF or any(p.dep_ == "poss" and p.lower_ in _SELF for p in s.children)
        if not self_ref or any(n.dep_ == "neg" for n in c.children):
            continue
        lemma = c.lemma_.lower()
        from .lexicon import TRIGGERS

        if lemma in CARRY_OUT or lemma in TRIGGERS or c.lemma_.lower() == "be" and any(
                p.lower_ == "behind" for p in c.children):
            return False, "rule:claim:said it carried out"
        if lemma == "be" and any(p.dep_ == "acomp" and p.lower_ == "responsible" for p in c.children):
            return False, "rule:claim:said it was responsible"
    return None


def _quote(ctx: Context, sent) -> tuple[int, int]:
    text = ctx.article.text[sent.start_char:sent.end_char]
    m = _QUOTE.search(text)
    if m:
        return sent.start_char + m.start(1), sent.start_char + m.end(1)
    stripped = text.rstrip()
    return sent.start_char, sent.start_char + len(stripped)
