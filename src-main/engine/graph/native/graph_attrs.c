// Operation attributes for strata_graph.c. Every attribute is parsed and checked before
// the operation is started, because a TF_OperationDescription cannot be abandoned: once
// begun it must be finished, and a half-described op would be left in the graph.
#include "graph_attrs.h"

#include <stdlib.h>
#include <string.h>

static const char* KIND_NAMES[] = {"dtype", "int", "float", "bool", "string", "shape", "ints", "floats", "dtypes", "tensor"};

static bool parse_kind(napi_env env, const char* key, napi_value value, AttrKind* kind) {
  char* name = get_string(env, value);
  for (int k = 0; name && k < (int)(sizeof KIND_NAMES / sizeof *KIND_NAMES); k++) {
    if (strcmp(name, KIND_NAMES[k]) == 0) { *kind = (AttrKind)k; free(name); return true; }
  }
  fail(env, "attr '%s' has an unknown type '%s'", key, name ? name : "(none)");
  free(name);
  return false;
}

static bool is_type(napi_env env, napi_value value, napi_valuetype wanted) {
  napi_valuetype type;
  return value != NULL && napi_typeof(env, value, &type) == napi_ok && type == wanted;
}

static bool parse_value(napi_env env, ParsedAttr* attr, napi_value value) {
  uint32_t n = array_length(env, value);
  switch (attr->kind) {
    case ATTR_DTYPE: return parse_dtype(env, value, &attr->dtype);
    case ATTR_INT:
      if (!is_type(env, value, napi_number)) return fail(env, "attr '%s' must be a number", attr->key, NULL);
      attr->int_value = (int64_t)get_number(env, value);
      return true;
    case ATTR_FLOAT:
      if (!is_type(env, value, napi_number)) return fail(env, "attr '%s' must be a number", attr->key, NULL);
      attr->float_value = (float)get_number(env, value);
      return true;
    case ATTR_BOOL:
      if (!is_type(env, value, napi_boolean)) return fail(env, "attr '%s' must be true or false", attr->key, NULL);
      napi_get_value_bool(env, value, &attr->bool_value);
      return true;
    case ATTR_STRING:
      attr->string_value = get_string(env, value);
      return attr->string_value != NULL || fail(env, "attr '%s' must be a string", attr->key, NULL);
    case ATTR_SHAPE:
      attr->count = -1; // null: unknown rank
      if (!is_present(env, value)) return true;
      if (n > MAX_DIMS) return fail(env, "attr '%s': rank above 32", attr->key, NULL);
      attr->ints = calloc(n + 1, sizeof(int64_t));
      attr->count = (int)n;
      for (uint32_t i = 0; i < n; i++) attr->ints[i] = (int64_t)get_number(env, element(env, value, i));
      return true;
    case ATTR_INTS:
      attr->ints = calloc(n + 1, sizeof(int64_t));
      attr->count = (int)n;
      for (uint32_t i = 0; i < n; i++) attr->ints[i] = (int64_t)get_number(env, element(env, value, i));
      return true;
    case ATTR_FLOATS:
      attr->floats = calloc(n + 1, sizeof(float));
      attr->count = (int)n;
      for (uint32_t i = 0; i < n; i++) attr->floats[i] = (float)get_number(env, element(env, value, i));
      return true;
    case ATTR_DTYPES:
      attr->dtypes = calloc(n + 1, sizeof(TF_DataType));
      attr->count = (int)n;
      for (uint32_t i = 0; i < n; i++) if (!parse_dtype(env, element(env, value, i), &attr->dtypes[i])) return false;
      return true;
    case ATTR_TENSOR:
      attr->tensor = to_tensor(env, value, attr->key);
      return attr->tensor != NULL;
  }
  return false;
}

bool parse_attrs(napi_env env, napi_value attrs, ParsedAttr** out, uint32_t* count) {
  *out = NULL;
  *count = 0;
  if (!is_present(env, attrs)) return true;
  napi_value keys;
  if (napi_get_property_names(env, attrs, &keys) != napi_ok) return fail(env, "attrs must be an object", NULL, NULL);
  uint32_t n = array_length(env, keys);
  *out = calloc(n + 1, sizeof(ParsedAttr));
  for (uint32_t i = 0; i < n; i++) {
    ParsedAttr* attr = &(*out)[i];
    *count = i + 1; // so free_attrs also frees a partly parsed one
    attr->key = get_string(env, element(env, keys, i));
    napi_value spec = get_prop(env, attrs, attr->key);
    if (!is_present(env, spec) || !parse_kind(env, attr->key, get_prop(env, spec, "type"), &attr->kind)) {
      if (!is_present(env, spec)) fail(env, "attr '%s' needs {type, value}", attr->key, NULL);
      return false;
    }
    if (!parse_value(env, attr, get_prop(env, spec, "value"))) return false;
  }
  return true;
}

bool apply_attrs(TF_OperationDescription* desc, const ParsedAttr* attrs, uint32_t count, TF_Status* status) {
  for (uint32_t i = 0; i < count; i++) {
    const ParsedAttr* a = &attrs[i];
    switch (a->kind) {
      case ATTR_DTYPE: TF_SetAttrType(desc, a->key, a->dtype); break;
      case ATTR_INT: TF_SetAttrInt(desc, a->key, a->int_value); break;
      case ATTR_FLOAT: TF_SetAttrFloat(desc, a->key, a->float_value); break;
      case ATTR_BOOL: TF_SetAttrBool(desc, a->key, a->bool_value); break;
      case ATTR_STRING: TF_SetAttrString(desc, a->key, a->string_value, strlen(a->string_value)); break;
      case ATTR_SHAPE: TF_SetAttrShape(desc, a->key, a->ints, a->count); break;
      case ATTR_INTS: TF_SetAttrIntList(desc, a->key, a->ints, a->count); break;
      case ATTR_FLOATS: TF_SetAttrFloatList(desc, a->key, a->floats, a->count); break;
      case ATTR_DTYPES: TF_SetAttrTypeList(desc, a->key, a->dtypes, a->count); break;
      case ATTR_TENSOR:
        TF_SetAttrTensor(desc, a->key, a->tensor, status);
        if (TF_GetCode(status) != TF_OK) return false;
        break;
    }
  }
  return true;
}

void free_attrs(ParsedAttr* attrs, uint32_t count) {
  if (attrs == NULL) return;
  for (uint32_t i = 0; i < count; i++) {
    free(attrs[i].key);
    free(attrs[i].string_value);
    free(attrs[i].ints);
    free(attrs[i].floats);
    free(attrs[i].dtypes);
    if (attrs[i].tensor) TF_DeleteTensor(attrs[i].tensor);
  }
  free(attrs);
}
