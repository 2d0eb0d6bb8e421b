// Strata's graph addon: a thin, generic N-API window onto libtensorflow's C graph API.
//
// tfjs-node runs a model one op at a time from JavaScript; a whole training step written
// as one TensorFlow graph and run by a session gets grappler's fusions and no per-op
// dispatch, as Keras does. This file knows nothing about models: it adds operations, asks
// TensorFlow for gradients and runs sessions. graph-binding-types.ts describes every
// function; all model knowledge lives in TypeScript.
//
// Every failure is a thrown JavaScript Error naming the op or tensor, and nothing leaks on
// an error path. Only C API calls present since libtensorflow 2.9 (what tfjs-node
// downloads itself) are used.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_attrs.h"
#include "graph_values.h"

typedef struct { TF_Graph* graph; } GraphBox;
/** A session keeps a reference to its graph's handle: TensorFlow needs the graph alive. */
typedef struct { TF_Session* session; napi_ref graph_ref; } SessionBox;

static void delete_session(SessionBox* box) {
  if (box->session == NULL) return;
  TF_Status* status = TF_NewStatus();
  TF_CloseSession(box->session, status);
  TF_DeleteSession(box->session, status);
  TF_DeleteStatus(status);
  box->session = NULL;
}

static void finalize_graph(napi_env env, void* data, void* hint) {
  GraphBox* box = data;
  TF_DeleteGraph(box->graph);
  free(box);
}

static void finalize_session(napi_env env, void* data, void* hint) {
  SessionBox* box = data;
  delete_session(box);
  if (box->graph_ref != NULL) napi_delete_reference(env, box->graph_ref);
  free(box);
}

static bool graph_arg(napi_env env, napi_value value, GraphBox** out) { return get_external(env, value, (void**)out, "graph"); }

static napi_value tf_version(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &result);
  return result;
}

static napi_value new_graph(napi_env env, napi_callback_info info) {
  GraphBox* box = malloc(sizeof *box);
  box->graph = TF_NewGraph();
  napi_value result;
  napi_create_external(env, box, finalize_graph, NULL, &result);
  return result;
}

/** One entry of OperationDef.inputs: a single output, or a list (ConcatV2's values). */
typedef struct { TF_Output* outputs; uint32_t count; bool is_list; } InputEntry;

static napi_value add_operation(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  GraphBox* box;
  if (argc < 2 || !graph_arg(env, args[0], &box)) return NULL;
  napi_value def = args[1];
  char* op = get_string(env, get_prop(env, def, "op"));
  char* name = get_string(env, get_prop(env, def, "name"));
  napi_value inputs = get_prop(env, def, "inputs");
  napi_value controls = get_prop(env, def, "controlInputs");
  uint32_t input_count = array_length(env, inputs);
  uint32_t control_count = array_length(env, controls);
  InputEntry* entries = calloc(input_count + 1, sizeof(InputEntry));
  TF_Operation** control_ops = calloc(control_count + 1, sizeof(TF_Operation*));
  ParsedAttr* attrs = NULL;
  uint32_t attr_count = 0;
  napi_value result = NULL;
  bool ok = op != NULL && name != NULL;
  if (!ok) fail(env, "an operation needs a string op and name", NULL, NULL);
  if (ok && TF_GraphOperationByName(box->graph, name) != NULL) ok = fail(env, "%s: the graph already has an operation named '%s'", op, name);

  // Everything is looked up and parsed first: a begun description cannot be abandoned.
  for (uint32_t i = 0; ok && i < input_count; i++) {
    napi_value entry = element(env, inputs, i);
    entries[i].is_list = array_length(env, element(env, entry, 0)) > 0 || array_length(env, entry) == 0;
    if (entries[i].is_list) ok = to_outputs(env, box->graph, entry, name, &entries[i].outputs, &entries[i].count);
    else {
      entries[i].outputs = calloc(1, sizeof(TF_Output));
      entries[i].count = 1;
      ok = to_output(env, box->graph, entry, name, entries[i].outputs);
    }
  }
  for (uint32_t i = 0; ok && i < control_count; i++) {
    char* control = get_string(env, element(env, controls, i));
    control_ops[i] = control ? TF_GraphOperationByName(box->graph, control) : NULL;
    if (control_ops[i] == NULL) ok = fail(env, "%s: control input '%s' is not in the graph", name, control);
    free(control);
  }
  if (ok) ok = parse_attrs(env, get_prop(env, def, "attrs"), &attrs, &attr_count);

  if (ok) {
    TF_Status* status = TF_NewStatus();
    TF_OperationDescription* desc = TF_NewOperation(box->graph, op, name);
    for (uint32_t i = 0; i < input_count; i++) {
      if (entries[i].is_list) TF_AddInputList(desc, entries[i].outputs, (int)entries[i].count);
      else TF_AddInput(desc, entries[i].outputs[0]);
    }
    for (uint32_t i = 0; i < control_count; i++) TF_AddControlInput(desc, control_ops[i]);
    bool attrs_ok = apply_attrs(desc, attrs, attr_count, status);
    char attr_message[1024] = "";
    if (!attrs_ok) snprintf(attr_message, sizeof attr_message, "%s", TF_Message(status));
    // Finished either way (that frees the description); a refused attr makes it fail too.
    TF_Operation* added = TF_FinishOperation(desc, status);
    if (!attrs_ok || TF_GetCode(status) != TF_OK) {
      char message[4096];
      snprintf(message, sizeof message, "%s '%s': %s", op, name, attrs_ok ? TF_Message(status) : attr_message);
      napi_throw_error(env, NULL, message);
    } else {
      napi_create_int32(env, TF_OperationNumOutputs(added), &result);
    }
    TF_DeleteStatus(status);
  }
  for (uint32_t i = 0; i < input_count; i++) free(entries[i].outputs);
  free(entries);
  free(control_ops);
  free_attrs(attrs, attr_count);
  free(op);
  free(name);
  return result;
}

static napi_value add_gradients(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  GraphBox* box;
  if (argc < 4 || !graph_arg(env, args[0], &box)) return NULL;
  char* prefix = get_string(env, args[1]);
  TF_Output *ys = NULL, *xs = NULL, *dxs = NULL;
  uint32_t ny = 0, nx = 0, ndx = 0;
  napi_value result = NULL;
  bool ok = prefix != NULL || fail(env, "addGradients needs a prefix string", NULL, NULL);
  if (ok) ok = to_outputs(env, box->graph, args[2], "addGradients ys", &ys, &ny);
  if (ok) ok = to_outputs(env, box->graph, args[3], "addGradients xs", &xs, &nx);
  if (ok && argc > 4 && is_present(env, args[4])) {
    ok = to_outputs(env, box->graph, args[4], "addGradients dxs", &dxs, &ndx);
    if (ok && ndx != ny) ok = fail(env, "addGradients: dxs needs one gradient per y", NULL, NULL);
  }
  if (ok && (ny == 0 || nx == 0)) ok = fail(env, "addGradients needs at least one y and one x", NULL, NULL);
  if (ok) {
    TF_Output* dy = calloc(nx, sizeof(TF_Output));
    TF_Status* status = TF_NewStatus();
    TF_AddGradientsWithPrefix(box->graph, prefix, ys, (int)ny, xs, (int)nx, dxs, status, dy);
    if (TF_GetCode(status) != TF_OK) {
      fail(env, "gradients: %s", TF_Message(status), NULL);
    } else {
      napi_create_array_with_length(env, nx, &result);
      for (uint32_t i = 0; i < nx; i++) napi_set_element(env, result, i, output_ref(env, dy[i]));
    }
    TF_DeleteStatus(status);
    free(dy);
  }
  free(prefix);
  free(ys);
  free(xs);
  free(dxs);
  return result;
}

static napi_value output_shape(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  GraphBox* box;
  TF_Output output;
  if (argc < 2 || !graph_arg(env, args[0], &box) || !to_output(env, box->graph, args[1], "outputShape", &output)) return NULL;
  TF_Status* status = TF_NewStatus();
  int rank = TF_GraphGetTensorNumDims(box->graph, output, status);
  napi_value result = NULL;
  if (TF_GetCode(status) == TF_OK && rank < 0) {
    napi_get_null(env, &result);
  } else if (TF_GetCode(status) == TF_OK && rank <= MAX_DIMS) {
    int64_t dims[MAX_DIMS];
    TF_GraphGetTensorShape(box->graph, output, dims, rank, status);
    napi_create_array_with_length(env, (size_t)rank, &result);
    for (int i = 0; i < rank; i++) {
      napi_value dim;
      napi_create_int64(env, dims[i], &dim);
      napi_set_element(env, result, (uint32_t)i, dim);
    }
  } else {
    fail(env, "outputShape: %s", TF_Message(status), NULL);
  }
  TF_DeleteStatus(status);
  return result;
}

/** ConfigProto by hand: field 2 intra_op_parallelism_threads, field 5 inter_op_parallelism_threads. */
static size_t thread_config(uint8_t* out, int intra, int inter) {
  size_t n = 0;
  if (intra > 0 && intra < 128) { out[n++] = 0x10; out[n++] = (uint8_t)intra; }
  if (inter > 0 && inter < 128) { out[n++] = 0x28; out[n++] = (uint8_t)inter; }
  return n;
}

static napi_value new_session(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  GraphBox* graph;
  if (argc < 1 || !graph_arg(env, args[0], &graph)) return NULL;
  TF_SessionOptions* options = TF_NewSessionOptions();
  TF_Status* status = TF_NewStatus();
  if (argc > 1 && is_present(env, args[1])) {
    uint8_t config[4];
    size_t length = thread_config(config, (int)get_number(env, get_prop(env, args[1], "intraOpThreads")),
                                  (int)get_number(env, get_prop(env, args[1], "interOpThreads")));
    if (length > 0) TF_SetConfig(options, config, length, status);
  }
  napi_value result = NULL;
  TF_Session* session = TF_GetCode(status) == TF_OK ? TF_NewSession(graph->graph, options, status) : NULL;
  if (TF_GetCode(status) != TF_OK) {
    fail(env, "newSession: %s", TF_Message(status), NULL);
  } else {
    SessionBox* box = malloc(sizeof *box);
    box->session = session;
    napi_create_reference(env, args[0], 1, &box->graph_ref);
    napi_create_external(env, box, finalize_session, NULL, &result);
  }
  TF_DeleteStatus(status);
  TF_DeleteSessionOptions(options);
  return result;
}

static bool session_arg(napi_env env, napi_value value, SessionBox** box, GraphBox** graph) {
  if (!get_external(env, value, (void**)box, "session")) return false;
  if ((*box)->session == NULL) return fail(env, "the session is closed", NULL, NULL);
  napi_value graph_value;
  napi_get_reference_value(env, (*box)->graph_ref, &graph_value);
  return graph_arg(env, graph_value, graph);
}

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  SessionBox* box;
  GraphBox* graph;
  if (argc < 3 || !session_arg(env, args[0], &box, &graph)) return NULL;
  uint32_t feed_count = array_length(env, args[1]);
  uint32_t target_count = argc > 3 ? array_length(env, args[3]) : 0;
  TF_Output* feeds = calloc(feed_count + 1, sizeof(TF_Output));
  TF_Tensor** feed_values = calloc(feed_count + 1, sizeof(TF_Tensor*));
  TF_Operation** targets = calloc(target_count + 1, sizeof(TF_Operation*));
  TF_Output* fetches = NULL;
  uint32_t fetch_count = 0;
  napi_value result = NULL;
  bool ok = true;
  for (uint32_t i = 0; ok && i < feed_count; i++) {
    napi_value feed = element(env, args[1], i);
    ok = to_output(env, graph->graph, element(env, feed, 0), "run feed", &feeds[i]);
    if (ok) {
      feed_values[i] = to_tensor(env, element(env, feed, 1), TF_OperationName(feeds[i].oper));
      ok = feed_values[i] != NULL;
    }
  }
  if (ok) ok = to_outputs(env, graph->graph, args[2], "run fetch", &fetches, &fetch_count);
  for (uint32_t i = 0; ok && i < target_count; i++) {
    char* target = get_string(env, element(env, args[3], i));
    targets[i] = target ? TF_GraphOperationByName(graph->graph, target) : NULL;
    if (targets[i] == NULL) ok = fail(env, "run target: '%s' is not in the graph", target, NULL);
    free(target);
  }
  if (ok) {
    TF_Tensor** outputs = calloc(fetch_count + 1, sizeof(TF_Tensor*));
    TF_Status* status = TF_NewStatus();
    TF_SessionRun(box->session, NULL, feeds, feed_values, (int)feed_count, fetches, outputs, (int)fetch_count,
                  (const TF_Operation* const*)targets, (int)target_count, NULL, status);
    if (TF_GetCode(status) != TF_OK) {
      fail(env, "run: %s", TF_Message(status), NULL);
    } else {
      napi_create_array_with_length(env, fetch_count, &result);
      for (uint32_t i = 0; i < fetch_count && result != NULL; i++) {
        napi_value value = from_tensor(env, outputs[i]);
        if (value == NULL) result = NULL;
        else napi_set_element(env, result, i, value);
      }
    }
    for (uint32_t i = 0; i < fetch_count; i++) if (outputs[i]) TF_DeleteTensor(outputs[i]);
    free(outputs);
    TF_DeleteStatus(status);
  }
  for (uint32_t i = 0; i < feed_count; i++) if (feed_values[i]) TF_DeleteTensor(feed_values[i]);
  free(feeds);
  free(feed_values);
  free(fetches);
  free(targets);
  return result;
}

static napi_value close_session(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  SessionBox* box;
  if (argc < 1 || !get_external(env, args[0], (void**)&box, "session")) return NULL;
  if (box->session != NULL) {
    delete_session(box);
    napi_delete_reference(env, box->graph_ref);
    box->graph_ref = NULL;
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
    {"tfVersion", NULL, tf_version, NULL, NULL, NULL, napi_default, NULL},
    {"newGraph", NULL, new_graph, NULL, NULL, NULL, napi_default, NULL},
    {"addOperation", NULL, add_operation, NULL, NULL, NULL, napi_default, NULL},
    {"addGradients", NULL, add_gradients, NULL, NULL, NULL, napi_default, NULL},
    {"outputShape", NULL, output_shape, NULL, NULL, NULL, napi_default, NULL},
    {"newSession", NULL, new_session, NULL, NULL, NULL, napi_default, NULL},
    {"run", NULL, run, NULL, NULL, NULL, napi_default, NULL},
    {"closeSession", NULL, close_session, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof *functions, functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
