"""The learned role classifier: candidate noun phrases, hashed features, numpy logistic regression."""

# The EventMention field each MUC-4 role fills (shared by the classifier and the extractor that applies it).
FIELD_OF_ROLE = {"PerpInd": "perpetrator_individuals", "PerpOrg": "perpetrators", "Target": "targets",
                 "Victim": "victims", "Weapon": "weapons"}
