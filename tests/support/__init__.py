"""What the tests share, imported as ``tests.support.<module>``:

- ``clock``: ``FakeTime``, the one fake clock (monotonic, wall clock and sleep);
- ``fake_arize``: ``FakeArize``, the fake Arize API at the HTTP seam (respx);
- ``sandbox_data``: the seeded sandbox by name, and request bodies it accepts;
- ``served_sandbox``: the sandbox as a real server process on a loopback port;
- ``terminal``: reading what a live progress line drew on a fake terminal.
"""
