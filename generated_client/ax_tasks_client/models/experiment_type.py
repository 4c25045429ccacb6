from enum import StrEnum


class ExperimentType(StrEnum):
    AGENT_CALL = "AGENT_CALL"
    LLM_GENERATION = "LLM_GENERATION"
    TEMPLATE_EVALUATION = "TEMPLATE_EVALUATION"

    def __str__(self) -> str:
        return str(self.value)
