#ifndef REGIONRISK_CGEOS_SHIM_H
#define REGIONRISK_CGEOS_SHIM_H
#include <geos_c.h>
#endif
