# Strata's graph addon, built by scripts/build-graph-addon.mjs (postinstall) against the
# libtensorflow that @tensorflow/tfjs-node uses: its own download, or the one Strata
# provisioned from PyPI (scripts/provision-native-engine.mjs). Both live in tfjs-node's deps/.
{
  'variables': {
    'tf_deps': '<(module_root_dir)/../../../../node_modules/@tensorflow/tfjs-node/deps',
  },
  'targets': [{
    'target_name': 'strata_graph',
    'sources': ['strata_graph.c', 'graph_values.c', 'graph_attrs.c'],
    'include_dirs': ['<(tf_deps)/include'],
    'cflags': ['-std=c11', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'conditions': [
      ['OS=="linux"', {
        'libraries': [
          # build/Release → the repo's node_modules, so a moved checkout still finds it.
          '-Wl,-rpath,\$$ORIGIN/../../../../../../node_modules/@tensorflow/tfjs-node/deps/lib',
          '-ltensorflow',
          '-ltensorflow_framework',
        ],
        'library_dirs': ['<(tf_deps)/lib'],
      }],
      ['OS=="mac"', {
        'libraries': [
          '<(tf_deps)/lib/libtensorflow.2.dylib',
          '<(tf_deps)/lib/libtensorflow_framework.2.dylib',
        ],
      }],
    ],
  }],
}
