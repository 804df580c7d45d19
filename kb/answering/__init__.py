"""Answering a question from retrieved passages: reading the question, cutting quotable units, weighing them
with a model fitted on labelled questions, composing the cited answer or refusing it from the evidence."""
