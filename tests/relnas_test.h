/* What every cmocka test of ours includes. */
#ifndef RELNAS_TEST_H
#define RELNAS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* Skips the current test, printing why (tests/run-tests shows the reason). */
#define RELNAS_SKIP(reason)                        \
    do {                                           \
        printf("# skipped because: %s\n", reason); \
        skip();                                    \
    } while (0)

#endif
