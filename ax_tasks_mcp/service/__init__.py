"""The service layer: every operation the faces need, over the generated client."""
