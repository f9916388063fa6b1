#include <sqlite3.h>

// SQLITE_TRANSIENT and SQLITE_STATIC are function-pointer casts of integer constants,
// which Swift cannot import; these helpers hand them over as real values.
static inline sqlite3_destructor_type cairn_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

static inline sqlite3_destructor_type cairn_sqlite_static(void) {
    return SQLITE_STATIC;
}
