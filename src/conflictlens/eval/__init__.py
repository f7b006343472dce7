"""Benchmark readers and scorers (MUC-4 CEAF-REE, WikiEvents) used to measure the extractor."""
