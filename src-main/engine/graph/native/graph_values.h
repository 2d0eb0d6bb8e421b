// Conversions between JavaScript values and libtensorflow's C types (graph_values.c).
#ifndef STRATA_GRAPH_VALUES_H
#define STRATA_GRAPH_VALUES_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <tensorflow/c/c_api.h>

#define MAX_DIMS 32

/** Throws an Error from a printf format with up to two string arguments; returns false. */
bool fail(napi_env env, const char* fmt, const char* a, const char* b);
/** A malloc'ed UTF-8 copy of a JS string, or NULL when it is not one. */
char* get_string(napi_env env, napi_value value);
napi_value get_prop(napi_env env, napi_value object, const char* key);
/** True unless undefined or null. */
bool is_present(napi_env env, napi_value value);
/** 0 for anything that is not an array. */
uint32_t array_length(napi_env env, napi_value array);
napi_value element(napi_env env, napi_value array, uint32_t i);
double get_number(napi_env env, napi_value value);
bool get_external(napi_env env, napi_value value, void** out, const char* what);

bool parse_dtype(napi_env env, napi_value value, TF_DataType* out);
const char* dtype_name(TF_DataType type);
size_t dtype_size(TF_DataType type);
napi_typedarray_type typed_array_of(TF_DataType type);

/** HostTensor {dtype, shape, data} → a new TF_Tensor with a copy of the data (NULL after throwing). */
TF_Tensor* to_tensor(napi_env env, napi_value host, const char* what);
/** TF_Tensor → a new HostTensor object with a copy of the data. */
napi_value from_tensor(napi_env env, const TF_Tensor* tensor);

/** [opName, index] → TF_Output; `user` names the op or call in the error. */
bool to_output(napi_env env, TF_Graph* graph, napi_value ref, const char* user, TF_Output* out);
/** An array of refs → a calloc'ed TF_Output array the caller frees (also after a failure). */
bool to_outputs(napi_env env, TF_Graph* graph, napi_value refs, const char* user, TF_Output** out, uint32_t* count);
napi_value output_ref(napi_env env, TF_Output output);

#endif
