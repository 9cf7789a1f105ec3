/*
 * dtype.h -- tensor dtypes as torch 1.13 sees them, and what each loss
 * does with each pair of input and target dtypes.
 *
 * losslab computes in float64 (loss.h); this module says what torch would
 * do with the learner's own tensors' dtypes: the dtype of the result, or
 * torch's error, word for word (BCELoss with a Long target: "Found dtype
 * Long but expected Float"; CrossEntropyLoss with float class indices:
 * "expected scalar type Long but found Float"; ...), and a one-sentence
 * hint for the learner.  The rules are torch's order of checks, verified
 * against every pair by tests/test_dtype (tests/gen_dtypes.py).
 */
#ifndef LOSSLAB_CORE_DTYPE_H
#define LOSSLAB_CORE_DTYPE_H

#include "core/loss.h"

/* One table: X(id, numpy name, torch name, kind) -- kind f float,
   i signed integer, u unsigned, b bool. */
#define DTYPE_TABLE(X) \
	X(DTYPE_HALF,   "float16", "Half",   'f') \
	X(DTYPE_FLOAT,  "float32", "Float",  'f') \
	X(DTYPE_DOUBLE, "float64", "Double", 'f') \
	X(DTYPE_LONG,   "int64",   "Long",   'i') \
	X(DTYPE_INT,    "int32",   "Int",    'i') \
	X(DTYPE_SHORT,  "int16",   "Short",  'i') \
	X(DTYPE_CHAR,   "int8",    "Char",   'i') \
	X(DTYPE_BYTE,   "uint8",   "Byte",   'u') \
	X(DTYPE_BOOL,   "bool",    "Bool",   'b')

enum dtype {
#define DTYPE_X(id, np, torch, kind) id,
	DTYPE_TABLE(DTYPE_X)
#undef DTYPE_X
	DTYPE_COUNT
};

/* "float32"; NULL for an out-of-range value. */
const char	*dtype_name(enum dtype d);
/* torch's name, "Float". */
const char	*dtype_torch_name(enum dtype d);
/* Parse a NumPy name ("float32") or a torch one ("float", "long", "Long",
   "double", "int"); 0, or -1 if unknown. */
int		 dtype_parse(const char *s, enum dtype *d);
/* Whether d is a floating-point dtype. */
int		 dtype_is_float(enum dtype d);

/*
 * What torch does with loss `id` on an input of dtype x and a target of
 * dtype t; prob says that a ce target has the input's shape (class
 * probabilities).  Returns 0 with *result the output's dtype, or -1 with e
 * holding torch's message (its first line).
 */
int		 dtype_check(enum loss_id id, int prob, enum dtype x,
		    enum dtype t, enum dtype *result, struct err *e);
/* Whether loss_eval's error message msg is about the values (a range, a
   class bound), which torch checks only after the dtypes: then a dtype
   error of dtype_check comes first.  Shape errors come before. */
int		 dtype_value_error(const char *msg);
/* One sentence on what to do about the error dtype_check gave for these
   dtypes ("use target.float()"), or NULL where it gave none. */
const char	*dtype_hint(enum loss_id id, int prob, enum dtype x,
		    enum dtype t);

#endif
