#ifndef REGIONRISK_COPENBLAS_SHIM_H
#define REGIONRISK_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (cblas_dgemm) and its thread control (openblas_set_num_threads).
#include <cblas.h>
#endif
