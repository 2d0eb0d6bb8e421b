// Values crossing between JavaScript and libtensorflow for strata_graph.c: strings,
// arrays, dtypes, HostTensor ⇄ TF_Tensor and [opName, index] ⇄ TF_Output. Each function
// that can fail throws a JavaScript Error naming what it was converting and returns
// false or NULL.
#include "graph_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_SIZE 4096

bool fail(napi_env env, const char* fmt, const char* a, const char* b) {
  char message[MESSAGE_SIZE];
  snprintf(message, sizeof message, fmt, a ? a : "", b ? b : "");
  napi_throw_error(env, NULL, message);
  return false;
}

char* get_string(napi_env env, napi_value value) {
  size_t length = 0;
  if (value == NULL || napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char* text = malloc(length + 1);
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

napi_value get_prop(napi_env env, napi_value object, const char* key) {
  napi_value value = NULL;
  if (napi_get_named_property(env, object, key, &value) != napi_ok) return NULL;
  return value;
}

bool is_present(napi_env env, napi_value value) {
  napi_valuetype type = napi_undefined;
  if (value == NULL || napi_typeof(env, value, &type) != napi_ok) return false;
  return type != napi_undefined && type != napi_null;
}

uint32_t array_length(napi_env env, napi_value array) {
  uint32_t length = 0;
  bool is_array = false;
  if (array == NULL || napi_is_array(env, array, &is_array) != napi_ok || !is_array) return 0;
  napi_get_array_length(env, array, &length);
  return length;
}

napi_value element(napi_env env, napi_value array, uint32_t i) {
  napi_value value = NULL;
  napi_get_element(env, array, i, &value);
  return value;
}

double get_number(napi_env env, napi_value value) {
  double number = 0;
  if (value != NULL) napi_get_value_double(env, value, &number);
  return number;
}

bool get_external(napi_env env, napi_value value, void** out, const char* what) {
  napi_valuetype type;
  if (value == NULL || napi_typeof(env, value, &type) != napi_ok || type != napi_external) return fail(env, "expected a %s handle", what, NULL);
  napi_get_value_external(env, value, out);
  return true;
}

bool parse_dtype(napi_env env, napi_value value, TF_DataType* out) {
  char* name = get_string(env, value);
  bool ok = true;
  if (name && strcmp(name, "float32") == 0) *out = TF_FLOAT;
  else if (name && strcmp(name, "int32") == 0) *out = TF_INT32;
  else if (name && strcmp(name, "bool") == 0) *out = TF_BOOL;
  else if (name && strcmp(name, "int64") == 0) *out = TF_INT64;
  else ok = fail(env, "unknown dtype '%s' (use float32, int32, bool or int64)", name, NULL);
  free(name);
  return ok;
}

const char* dtype_name(TF_DataType type) {
  switch (type) {
    case TF_FLOAT: return "float32";
    case TF_INT32: return "int32";
    case TF_BOOL: return "bool";
    case TF_INT64: return "int64";
    default: return NULL;
  }
}

size_t dtype_size(TF_DataType type) { return type == TF_BOOL ? 1 : type == TF_INT64 ? 8 : 4; }

napi_typedarray_type typed_array_of(TF_DataType type) {
  switch (type) {
    case TF_FLOAT: return napi_float32_array;
    case TF_INT32: return napi_int32_array;
    case TF_BOOL: return napi_uint8_array;
    default: return napi_bigint64_array;
  }
}

TF_Tensor* to_tensor(napi_env env, napi_value host, const char* what) {
  TF_DataType type;
  if (!is_present(env, host)) { fail(env, "%s: expected a tensor {dtype, shape, data}", what, NULL); return NULL; }
  if (!parse_dtype(env, get_prop(env, host, "dtype"), &type)) return NULL;
  napi_value shape = get_prop(env, host, "shape");
  uint32_t rank = array_length(env, shape);
  if (rank > MAX_DIMS) { fail(env, "%s: rank above 32", what, NULL); return NULL; }
  int64_t dims[MAX_DIMS];
  size_t count = 1;
  for (uint32_t i = 0; i < rank; i++) {
    double d = get_number(env, element(env, shape, i));
    if (d < 0 || d != (double)(int64_t)d) { fail(env, "%s: shape sizes must be whole numbers ≥ 0", what, NULL); return NULL; }
    dims[i] = (int64_t)d;
    count *= (size_t)dims[i];
  }
  bool is_typed = false;
  napi_value data = get_prop(env, host, "data");
  if (data == NULL || napi_is_typedarray(env, data, &is_typed) != napi_ok || !is_typed) { fail(env, "%s: data must be a typed array", what, NULL); return NULL; }
  napi_typedarray_type array_type;
  size_t length;
  void* bytes;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(env, data, &array_type, &length, &bytes, &buffer, &offset);
  if (array_type != typed_array_of(type)) { fail(env, "%s: data's typed array does not match dtype %s", what, dtype_name(type)); return NULL; }
  if (length != count) {
    char detail[128];
    snprintf(detail, sizeof detail, "%zu values but its shape holds %zu", length, count);
    fail(env, "%s: data has %s", what, detail);
    return NULL;
  }
  TF_Tensor* tensor = TF_AllocateTensor(type, dims, (int)rank, count * dtype_size(type));
  if (count > 0) memcpy(TF_TensorData(tensor), bytes, count * dtype_size(type));
  return tensor;
}

napi_value from_tensor(napi_env env, const TF_Tensor* tensor) {
  TF_DataType type = TF_TensorType(tensor);
  if (dtype_name(type) == NULL) { fail(env, "a fetched tensor has a dtype Strata does not read", NULL, NULL); return NULL; }
  napi_value result, name, shape, buffer, array;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, dtype_name(type), NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, result, "dtype", name);
  int rank = TF_NumDims(tensor);
  size_t count = 1;
  napi_create_array_with_length(env, (size_t)rank, &shape);
  for (int i = 0; i < rank; i++) {
    napi_value dim;
    napi_create_int64(env, TF_Dim(tensor, i), &dim);
    napi_set_element(env, shape, (uint32_t)i, dim);
    count *= (size_t)TF_Dim(tensor, i);
  }
  napi_set_named_property(env, result, "shape", shape);
  void* bytes;
  napi_create_arraybuffer(env, count * dtype_size(type), &bytes, &buffer);
  if (count > 0) memcpy(bytes, TF_TensorData(tensor), count * dtype_size(type));
  napi_create_typedarray(env, typed_array_of(type), count, buffer, 0, &array);
  napi_set_named_property(env, result, "data", array);
  return result;
}

bool to_output(napi_env env, TF_Graph* graph, napi_value ref, const char* user, TF_Output* out) {
  char* name = array_length(env, ref) == 2 ? get_string(env, element(env, ref, 0)) : NULL;
  if (name == NULL) return fail(env, "%s: an output must be [opName, index]", user, NULL);
  out->oper = TF_GraphOperationByName(graph, name);
  out->index = (int)get_number(env, element(env, ref, 1));
  bool ok = out->oper != NULL;
  if (!ok) fail(env, "%s: '%s' is not in the graph", user, name);
  else if (out->index < 0 || out->index >= TF_OperationNumOutputs(out->oper)) ok = fail(env, "%s: '%s' has no such output", user, name);
  free(name);
  return ok;
}

bool to_outputs(napi_env env, TF_Graph* graph, napi_value refs, const char* user, TF_Output** out, uint32_t* count) {
  *count = array_length(env, refs);
  *out = calloc(*count + 1, sizeof(TF_Output));
  for (uint32_t i = 0; i < *count; i++) {
    if (!to_output(env, graph, element(env, refs, i), user, &(*out)[i])) return false;
  }
  return true;
}

napi_value output_ref(napi_env env, TF_Output output) {
  napi_value ref, name, index;
  napi_create_array_with_length(env, 2, &ref);
  napi_create_string_utf8(env, TF_OperationName(output.oper), NAPI_AUTO_LENGTH, &name);
  napi_create_int32(env, output.index, &index);
  napi_set_element(env, ref, 0, name);
  napi_set_element(env, ref, 1, index);
  return ref;
}
