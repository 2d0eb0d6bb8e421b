// Operation attributes, parsed from JavaScript before an operation is begun (graph_attrs.c).
#ifndef STRATA_GRAPH_ATTRS_H
#define STRATA_GRAPH_ATTRS_H

#include "graph_values.h"

/** The `type` of an AttrValue in graph-binding-types.ts, in the same order. */
typedef enum { ATTR_DTYPE, ATTR_INT, ATTR_FLOAT, ATTR_BOOL, ATTR_STRING, ATTR_SHAPE, ATTR_INTS, ATTR_FLOATS, ATTR_DTYPES, ATTR_TENSOR } AttrKind;

typedef struct {
  char* key;
  AttrKind kind;
  TF_DataType dtype;
  int64_t int_value;
  float float_value;
  bool bool_value;
  char* string_value;
  /** shape dims (count −1 = unknown rank) or an int list. */
  int64_t* ints;
  float* floats;
  TF_DataType* dtypes;
  int count;
  TF_Tensor* tensor;
} ParsedAttr;

/** Parses `attrs` ({key: {type, value}} or undefined); false after throwing. Free with free_attrs either way. */
bool parse_attrs(napi_env env, napi_value attrs, ParsedAttr** out, uint32_t* count);
/** Sets every attribute on the description; false (with `status` set) when TensorFlow refused one. */
bool apply_attrs(TF_OperationDescription* desc, const ParsedAttr* attrs, uint32_t count, TF_Status* status);
void free_attrs(ParsedAttr* attrs, uint32_t count);

#endif
