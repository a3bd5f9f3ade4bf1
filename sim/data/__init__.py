"""A centre's own data: contact logs and volume histories read from CSV/xlsx, calibration of a scenario from
them, forecasts of interval volumes, and Excel workbooks of results (``docs/data.md``).

Modules: ``contacts`` and ``mapping`` (the contact-log format), ``arrivals``, ``durations``, ``patience`` and
``journey`` (the estimators), ``calibrate`` and ``fragment`` (the calibration and calibrated.yaml),
``volumes`` and ``forecast`` (histories and forecasts), ``logs`` (servsim's own contacts as a log),
``excel`` (workbooks). Nothing here runs the simulator.
"""
