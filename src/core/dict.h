/* dict.h — the enumerations of the domain with their Chinese labels (字典). The API
 * validates enum fields against these tables and serves them to the UI
 * (GET /api/dicts), so a label is written exactly once. Names follow GLOSSARY.md. */
#ifndef TJ_CORE_DICT_H
#define TJ_CORE_DICT_H
#include <stdbool.h>

typedef struct dict_entry {
    const char *value;
    const char *label;
} dict_entry;

typedef struct dict {
    const char *name;
    const dict_entry *entries; /* terminated by {NULL, NULL} */
} dict;

/* NULL-terminated list of every dictionary. */
extern const dict *const dict_all[];
/* Dictionary by name ("org_kind"), or NULL. */
const dict *dict_find(const char *name);
/* Whether value is one of the dictionary's values. */
bool dict_has(const char *name, const char *value);
/* Label of value, or NULL. */
const char *dict_label(const char *name, const char *value);

#endif
