from enum import StrEnum


class ToolCallType(StrEnum):
    FUNCTION = "FUNCTION"

    def __str__(self) -> str:
        return str(self.value)
