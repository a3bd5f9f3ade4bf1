"""The one exception type for bad user input: its message is shown as is, exit status 2; and the warning
for input servsim takes but a user should look at (the CLI shows it as one ``warning: ...`` line)."""


class InputError(Exception):
    """A config, experiment or option the user gave is wrong; the message says where and why."""


class InputWarning(UserWarning):
    """Input servsim takes, reading it one way of two; the message says where and which way."""
