"""The fields of a contact in flight: a plain list (cheap to build, mutable), indexed by these names.

A contact exists from its arrival until it ends; nothing of it is kept afterwards
unless per-contact records were asked for.
"""

(ST, CH, TIER, ISSUE, LEVEL, ARRIVAL, SLOT, HANDLE, ACW, PAT, TOL, ANGRY,
 U_RES, U_XFER, U_EMP, U_NEXT, U_AUX, QAT, SEG, EP, OUT, FSTART, WAIT, BUSY) = range(24)
WAITING, SERVING, GONE = 0, 1, 2  # values of contact[ST]
