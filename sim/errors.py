"""The one exception type for bad user input: its message is shown as is, exit status 2."""


class InputError(Exception):
    """A config, experiment or option the user gave is wrong; the message says where and why."""
