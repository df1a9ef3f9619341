#ifndef REGIONRISK_CPROJ_SHIM_H
#define REGIONRISK_CPROJ_SHIM_H
#include <proj.h>
#include <geodesic.h>
#endif
