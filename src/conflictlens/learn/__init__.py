"""The learned role classifier: candidate noun phrases, hashed features, numpy logistic regression."""
