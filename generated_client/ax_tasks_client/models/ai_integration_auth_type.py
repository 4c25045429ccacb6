from enum import StrEnum


class AiIntegrationAuthType(StrEnum):
    BEARER_TOKEN = "BEARER_TOKEN"
    DEFAULT = "DEFAULT"
    OAUTH2_CLIENT_CREDENTIALS = "OAUTH2_CLIENT_CREDENTIALS"
    PROXY_WITH_HEADERS = "PROXY_WITH_HEADERS"

    def __str__(self) -> str:
        return str(self.value)
