/* person_store.h — people of the mediation network (调解员、信息员、志愿者、专家、法律顾问)
 * and their links to orgs (person_orgs).
 *
 * Data scope: a person is visible to who when linked to at least one org in who's
 * subtree; anything else is "not found" (404). Only the links inside who's subtree are
 * shown and replaced: links to orgs elsewhere (a county expert also serving a township)
 * belong to someone else's scope and are kept as they are.
 *
 * Identity numbers are never stored in clear: id_cipher (crypto_seal), id_masked (for
 * display) and id_index (crypto_blind_index, to find duplicates) are computed by the
 * caller; only person_id_cipher() gives the sealed value back, for unmasking. */
#ifndef TJ_STORE_PERSON_STORE_H
#define TJ_STORE_PERSON_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "store/scope.h"
#include "util/arena.h"

/* A person's columns. Optional text is NULL (or "") when absent; specialties is the
 * stored form ",marriage_family,neighbour," ("" for none); grade 0 = none. */
typedef struct person_rec {
    const char *name, *sex, *kind, *employment, *profession, *background, *specialties, *phone;
    const char *id_cipher, *id_masked, *id_index;
    int64_t grade;
    bool active;
} person_rec;

typedef struct person_link {
    int64_t org_id;
    const char *duty; /* may be NULL */
} person_link;

typedef struct person_filter {
    const char *kind, *q, *employment, *specialty; /* NULL = any */
    const char *org_path; /* only people linked inside this org's subtree (NULL = who's) */
    int64_t grade;        /* 0 = any */
    int active;           /* -1 = any, 0 or 1 */
    int64_t before_id;    /* keyset cursor: ids below it; 0 = from the newest */
    int limit;            /* 1..100 */
} person_filter;

/* One page of people visible to who, newest id first, each with its in-scope orgs
 * (loaded for the whole page with one query). *total counts every match; *next is
 * the cursor of the following page or 0 on the last. An org_path outside who's
 * subtree that is not one of its ancestors is 400 on field "org_id"; an ancestor
 * means "all of who's subtree". */
int person_list(db *d, const principal *who, const person_filter *f, json_t **items, int64_t *total,
                int64_t *next, tj_err *err);
/* One visible person as JSON (docs/api.md person object); 404 otherwise. */
int person_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err);
/* Load a visible person's columns (strings copied into a); 404 otherwise. */
int person_load(db *d, const principal *who, int64_t id, arena *a, person_rec *out, tj_err *err);
/* Whether a person other than except_id has this identity number blind index. */
int person_index_taken(db *d, const char *id_index, int64_t except_id, bool *taken, tj_err *err);
/* Whether person_id is already linked to org_id. */
int person_has_link(db *d, int64_t person_id, int64_t org_id, bool *linked, tj_err *err);
/* Insert (the caller validated everything); *id gets the new id. */
int person_insert(db *d, const person_rec *p, int64_t *id, tj_err *err);
/* Overwrite every column of person id with p. */
int person_update(db *d, int64_t id, const person_rec *p, tj_err *err);
/* Replace the person's links to orgs inside who's subtree by links (the caller checked
 * that each org is inside it); links elsewhere stay. */
int person_set_links(db *d, const principal *who, int64_t id, const person_link *links, size_t n,
                     tj_err *err);
/* The sealed identity number of a visible person into *sealed (copied into a; NULL
 * when none was recorded); 404 when the person is not visible. */
int person_id_cipher(db *d, const principal *who, int64_t id, arena *a, const char **sealed,
                     tj_err *err);

#endif
