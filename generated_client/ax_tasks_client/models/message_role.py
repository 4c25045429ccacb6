from enum import StrEnum


class MessageRole(StrEnum):
    ASSISTANT = "ASSISTANT"
    SYSTEM = "SYSTEM"
    TOOL = "TOOL"
    USER = "USER"

    def __str__(self) -> str:
        return str(self.value)
