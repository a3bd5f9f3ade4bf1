"""The fields of a contact in flight: a plain list (cheap to build, mutable), indexed by these names.

A contact exists from its arrival until it ends; nothing of it is kept afterwards
unless per-contact records were asked for.
"""

(ST, CH, TIER, ISSUE, LEVEL, ARRIVAL, SLOT, HANDLE, ACW, PAT, TOL, ANGRY,
 U_RES, U_XFER, U_EMP, U_NEXT, U_AUX, EPS, U_SURVEY, U_DEFECT, SEAT, QAT, SEG, EP, OUT, FSTART, WAIT, BUSY) = range(28)
# CH .. QAT come from the demand block in one tuple; EPS is the customer's N(0, 1) satisfaction noise;
# SEAT is the customer's place in the customer base (-1 without one).
WAITING, SERVING, GONE = 0, 1, 2  # values of contact[ST]
