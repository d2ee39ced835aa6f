"""Surveys behind the LKE's Hasil and the public service standard: the IKM of PermenPAN-RB
14/2017 (`ikm.py`, a pure computation), and, as they come, the instruments, the public survey
pages and the SPAK/SPKP indices that fill IPAK and IPKP."""
