"""Trigger detection: the words that report an incident ("stormed", "bombing", "opened fire") and whether each
reports a real, specific one.

``find_triggers`` walks the tokens once, looks each lemma up in ``lexicon.TRIGGERS`` (and the multi-word
table), and asks ``modality`` what the parse says about it: occurred, attempted, foiled, threatened or
planned, or not an event at all (negated, hypothetical, generic or habitual).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .lexicon import (
    AGGREGATE_NOUNS, ATTEMPT_MODIFIERS, ATTEMPT_VERBS, DAMAGE_VERBS, EXPLOSIVE_SUBJECTS, FOIL_VERBS, GENERIC_ADJ,
    HABITUAL, HYPOTHETICAL_MARKS, MODALS, MULTI_TRIGGERS, NON_VIOLENT_MODIFIERS, PLAN_NOUNS, PLAN_VERBS, THREAT_VERBS, TRIGGERS, VERB_HEADED,
)
from .spans import Context

_NOUN_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT", "dep", "npadvmod", "oprd"}
_DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "yesterday", "today"}


@dataclass
class Trigger:
    """One incident-reporting word (or phrase) that passed the modality checks."""

    token: Token  # head token of the trigger phrase
    start: int  # character range of the whole trigger phrase
    end: int
    kind: str
    specificity: int
    status: str
    reason: str
    is_noun: bool
    definite: bool = False  # "the attack", "the siege": refers back to an incident already mentioned
    headline: bool = False
    extra: dict = field(default_factory=dict)


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    return lemma if lemma and lemma != "-pron-" else tok.lower_


def find_triggers(ctx: Context) -> tuple[list[Trigger], list[tuple[Token, str]]]:
    """All triggers of real, specific incidents in the article, and the rejected ones with why."""
    doc = ctx.doc
    found: list[Trigger] = []
    rejected: list[tuple[Token, str]] = []
    used: set[int] = set()
    for tok in doc:
        if tok.i in used or ctx.in_dateline(tok) or tok.is_punct:
            continue
        lemma = _lemma(tok)
        low = tok.lower_
        hit = None
        # multi-word first: (lemma or word, next lemma or word)
        if tok.i + 1 < len(doc):
            nxt = doc[tok.i + 1]
            for key in ((lemma, _lemma(nxt)), (low, nxt.lower_), (lemma, nxt.lower_)):
                if key in MULTI_TRIGGERS:
                    kind, spec = MULTI_TRIGGERS[key]
                    head = tok if key in VERB_HEADED else nxt
                    if key in VERB_HEADED and tok.pos_ not in {"VERB", "AUX"}:
                        break
                    hit = (head, tok.idx, nxt.idx + len(nxt.text), kind, spec, head.pos_ in {"NOUN", "PROPN"})
                    used.add(nxt.i)
                    break
        if hit is None and lemma == "ram" and tok.pos_ == "VERB" and any(
                w.lower_.startswith(("explosive", "bomb")) for c in tok.children if c.dep_ == "dobj"
                for w in c.subtree):
            hit = (tok, tok.idx, tok.idx + len(tok.text), "suicide", 3, False)  # a driven car bomb
        if hit is None and lemma in DAMAGE_VERBS and tok.pos_ == "VERB":  # "a bomb destroyed the bus"
            subj = {_lemma(c) for c in tok.children if c.dep_ == "nsubj"} & EXPLOSIVE_SUBJECTS
            if subj:
                kind = "shelling" if subj & {"rocket", "mortar", "missile", "shell"} else "bombing"
                hit = (tok, tok.idx, tok.idx + len(tok.text), kind, 2, False)
        if hit is None and lemma in FOIL_VERBS and tok.pos_ == "VERB" and lemma == "defuse":
            hit = (tok, tok.idx, tok.idx + len(tok.text), "bombing", 1, False)
        if hit is None:
            entry = TRIGGERS.get(lemma) or TRIGGERS.get(low)
            if entry is None:
                continue
            kind, spec, pos = entry
            is_noun = tok.pos_ in {"NOUN", "PROPN"}
            is_verb = tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX")
            if (is_noun and "N" not in pos) or (is_verb and "V" not in pos) or not (is_noun or is_verb):
                continue
            if is_noun and tok.dep_ == "compound" and lemma not in {"suicide"}:
                rejected.append((tok, "modifier"))  # "attack helicopter", "protest movement"
                continue
            if ctx.ent_at[tok.i] is not None and getattr(ctx.ent_at[tok.i], "label_", "") in {"ORG", "WORK_OF_ART",
                                                                                               "EVENT", "LAW"}:
                rejected.append((tok, "inside a name"))
                continue
            hit = (tok, tok.idx, tok.idx + len(tok.text), kind, spec, is_noun)
        head, start, end, kind, spec, is_noun = hit
        status, reason = modality(head, is_noun=is_noun, headline=ctx.in_headline(head))
        if status is None:
            rejected.append((head, reason))
            continue
        if _lemma(head) == "defuse":
            status, reason = "foiled", "rule:modality:defused"
        definite = is_noun and any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in head.children)
        if not is_noun:  # "the attackers set fire ...": a definite subject refers back to the incident
            subj = [c for c in head.children if c.dep_ == "nsubj"]
            definite = bool(subj) and any(c.dep_ == "det" and c.lower_ in {"the", "these", "those"}
                                          for c in subj[0].children)
        first_i = doc.char_span(start, end, alignment_mode="expand").start
        if kind in {"bombing", "attack"} and first_i > 0 and doc[first_i - 1].lower_ == "suicide":
            kind, spec = "suicide", 4  # "a suicide car bomb"
        found.append(Trigger(head, start, end, kind, spec, status, reason, is_noun, definite,
                             ctx.in_headline(head)))
    return found, rejected


def _governor(tok: Token) -> Token:
    """The verb (or noun) that governs a noun trigger: through prepositions and coordination."""
    head = tok.head
    steps = 0
    while head is not tok and steps < 4 and (head.dep_ in {"prep", "agent"} or head.pos_ == "ADP"
                                              or (tok.dep_ == "conj" and head.pos_ == "NOUN")):
        tok, head = head, head.head
        steps += 1
    return head


def modality(tok: Token, *, is_noun: bool, headline: bool = False) -> tuple[str | None, str]:
    """The status of the incident trigger ``tok`` reports, or (None, why) when it reports no event."""
    children = list(tok.children)
    # negation: "did not attack", "there was no attack", "denied that any strike took place"
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in children):
        return None, "negated"
    if is_noun and any(c.dep_ == "det" and c.lower_ in {"no", "any"} for c in children):
        return None, "negated"
    if is_noun and any(c.dep_ in {"compound", "amod", "nmod"} and c.lower_ in NON_VIOLENT_MODIFIERS for c in children):
        return None, "not violence"
    if is_noun and not headline:
        if any(c.lower_ in GENERIC_ADJ and c.dep_ in {"amod", "det", "predet", "advmod"} for c in children):
            return None, "generic"
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in AGGREGATE_NOUNS:
            return None, "aggregate"  # "a string of attacks", "for fear of attack"
        if tok.tag_ in {"NNS", "NNPS"} and not any(c.dep_ in {"det", "poss", "nummod"} for c in children):
            verb = _governor(tok)
            present = verb.tag_ in {"VBZ", "VBP", "VB", "VBG"} or any(
                c.dep_ in {"aux", "auxpass"} and c.tag_ in {"VBZ", "VBP"} for c in verb.children)
            if tok.lemma_.lower() in {"clash", "protest", "airstrike", "fighting", "riot"}:
                present = present and verb.tag_ in {"VBZ", "VBP"} and not any(
                    c.dep_ == "aux" and c.tag_ == "VBG" for c in verb.children)
            if present or any(c.lower_ in HABITUAL for c in verb.children):
                return None, "generic"
    # stopped, tried, threatened, planned: look up the chain of governing words
    status = "occurred"
    reason = "rule:modality:default"
    node = tok
    for _ in range(5):
        if node.dep_ == "ROOT" or node.head is node:
            break
        rel = node.dep_
        parent = node.head
        plemma = parent.lemma_.lower()
        if plemma in FOIL_VERBS and rel in {"dobj", "nsubjpass", "xcomp", "pobj", "acl", "prep"}:
            return "foiled", f"rule:modality:{plemma}"
        if parent.pos_ in {"NOUN", "PROPN"} and plemma in PLAN_NOUNS:
            pchildren = [c.lower_ for c in parent.children]
            if any(w in ATTEMPT_MODIFIERS for w in pchildren) or parent.head.lemma_.lower() in FOIL_VERBS:
                return "foiled", "rule:modality:failed plot"
            status, reason = "planned", "rule:modality:plot"
            node = parent
            continue
        if rel in {"xcomp", "ccomp", "dobj", "pobj", "prep"} and parent.pos_ in {"VERB", "AUX"}:
            if plemma in ATTEMPT_VERBS:
                return "attempted", f"rule:modality:{plemma}"
            if plemma in THREAT_VERBS:
                return "threatened", f"rule:modality:{plemma}"
            if plemma in PLAN_VERBS:
                return (status if status == "foiled" else "planned"), f"rule:modality:{plemma}"
        if rel in {"advcl", "ccomp"} and any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS
                                             for c in node.children):
            return None, "hypothetical"
        if rel not in {"prep", "pobj", "conj", "xcomp", "dobj", "nsubj", "nsubjpass", "attr", "acl", "compound"}:
            break
        node = parent
    if status == "planned":
        return status, reason
    # hypothetical: modal on the trigger (or on the verb governing a noun trigger), "if" clauses
    verb = _governor(tok) if is_noun else tok
    while not is_noun and verb.dep_ == "conj" and verb.head is not verb:  # "could have been injured or shot"
        verb = verb.head
    vchildren = list(verb.children) if verb is not tok else children
    if verb is not tok and not is_noun:
        vchildren += children
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in vchildren):
        return None, "hypothetical"
    if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in vchildren):
        return None, "hypothetical"
    if verb is not tok and is_noun and any(c.dep_ == "neg" for c in vchildren) and tok.dep_ in {"nsubj", "attr"}:
        return None, "negated"
    # habitual / generic
    if any(c.lower_ in HABITUAL for c in vchildren) or any(c.lower_ in HABITUAL for c in children):
        return None, "habitual"
    if is_noun:
        if any(c.dep_ == "amod" and c.lower_ in ATTEMPT_MODIFIERS for c in children):
            word = next(c.lower_ for c in children if c.dep_ == "amod" and c.lower_ in ATTEMPT_MODIFIERS)
            return ("foiled" if word in {"foiled", "thwarted"} else "attempted"), f"rule:modality:{word}"
        plural = tok.tag_ in {"NNS", "NNPS"}
        determined = any(c.dep_ in {"det", "poss", "nummod"} for c in children)
        if plural and not determined:
            acomp = [c for c in verb.children if c.dep_ == "acomp" and c.lower_ in GENERIC_ADJ]
            if acomp or verb.tag_ in {"VBZ", "VBP"} or (verb.lemma_ == "have" and verb.tag_ != "VBD"):
                if tok.lemma_.lower() not in {"clash", "protest", "airstrike", "fighting", "riot"} or acomp:
                    return None, "generic"
    else:
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
            return None, "infinitive"
        first_conj = tok
        while first_conj.dep_ == "conj" and first_conj.head is not first_conj:
            first_conj = first_conj.head
        if not headline and (tok.tag_ in {"VBZ", "VBP"} or (first_conj.tag_ in {"VBZ", "VBP"}
                                                            and tok.tag_ in {"VB", "VBP", "VBZ"})):
            return None, "present tense"
        aux_words = {c.lower_ for c in list(children) + list(first_conj.children) if c.dep_ in {"aux", "auxpass"}}
        if not headline and tok.tag_ == "VB" and first_conj.tag_ == "VB" and not aux_words:
            return None, "present tense"  # a bare verb with no "to", modal or "did": generic present
        if first_conj.dep_ == "relcl" and tok.tag_ in {"VB", "VBP", "VBZ"} and first_conj.head.tag_ == "NNS" and not any(
                c.dep_ in {"det", "poss", "nummod"} for c in first_conj.head.children):
            return None, "generic"  # "gangs that raid villages and kidnap people"
        if not headline and any(c.dep_ == "aux" and c.tag_ in {"VBZ", "VBP"} and c.lemma_ == "have" for c in children) \
                and any(c.dep_ == "dobj" and c.tag_ == "NNS" and not any(d.dep_ in {"det", "nummod", "poss"}
                                                                       for d in c.children) for c in children):
            return None, "generic"  # "gangs have killed thousands", "the group has targeted schools"
        if tok.tag_ == "VBG" and tok.dep_ in {"pcomp", "pobj"} and tok.head.lower_ in {"of", "for", "about"}:
            return None, "gerund"
    return status, reason
