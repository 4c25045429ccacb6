from enum import StrEnum


class AiIntegrationProvider(StrEnum):
    ANTHROPIC = "ANTHROPIC"
    AWS_BEDROCK = "AWS_BEDROCK"
    AZURE_OPEN_AI = "AZURE_OPEN_AI"
    CUSTOM = "CUSTOM"
    FIREWORKS = "FIREWORKS"
    GEMINI = "GEMINI"
    LITELLM = "LITELLM"
    NVIDIA_NIM = "NVIDIA_NIM"
    OPEN_AI = "OPEN_AI"
    TOGETHER_AI = "TOGETHER_AI"
    VERTEX_AI = "VERTEX_AI"

    def __str__(self) -> str:
        return str(self.value)
