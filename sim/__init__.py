"""servsim: simulate customer-service operations and predict what staffing does to service."""

from sim.config import load_config
from sim.run import Results, run

__version__ = "0.1.0"
__all__ = ["Results", "__version__", "load_config", "run"]
