#ifndef PROFILES_CGLPK_SHIM_H
#define PROFILES_CGLPK_SHIM_H
#include <glpk.h>
#endif
