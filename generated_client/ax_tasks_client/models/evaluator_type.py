from enum import StrEnum


class EvaluatorType(StrEnum):
    CODE = "CODE"
    HARNESS = "HARNESS"
    REMOTE = "REMOTE"
    TEMPLATE = "TEMPLATE"

    def __str__(self) -> str:
        return str(self.value)
