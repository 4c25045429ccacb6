from enum import StrEnum


class TaskType(StrEnum):
    CODE_EVALUATION = "CODE_EVALUATION"
    RUN_EXPERIMENT = "RUN_EXPERIMENT"
    TEMPLATE_EVALUATION = "TEMPLATE_EVALUATION"

    def __str__(self) -> str:
        return str(self.value)
