"""Pool requirements: the kinds and their settings (``kinds``), the evaluator's inputs
(``facts``), the one evaluator (``evaluator``) and the evidence it reads (``evidence``)."""
