"""The Arize AX tasks API, generated from openapi/tasks.yaml by scripts/regen.sh.

``api.<tag>.<operation>.build_request`` builds each operation's request for any httpx.Client;
``models.<module>`` holds the request and answer models. Nothing is imported here, so a caller
pays only for the modules of the operations it uses.
"""
