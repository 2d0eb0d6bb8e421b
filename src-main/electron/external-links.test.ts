import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links.ts';

describe('links that may open in the system browser', () => {
  it('are https pages on allow-listed hosts and nothing else', () => {
    const verdicts = Object.fromEntries([
      'https://github.com/strata-studio/strata/issues',
      'https://www.tensorflow.org/js/guide',
      'https://keras.io/api/layers/',
      'https://onnx.ai/onnx/operators/',
      'http://github.com/',
      'file:///etc/passwd',
      'smb://attacker/share',
      'javascript:alert(1)',
      'https://evil.github.io/',
      'https://github.com.evil.example/',
      'https://user:pass@github.com/',
      'https://github.com:8443/',
      'not a url',
    ].map((url) => [url, isAllowedExternalUrl(url)]));
    expect(verdicts).toEqual({
      'https://github.com/strata-studio/strata/issues': true,
      'https://www.tensorflow.org/js/guide': true,
      'https://keras.io/api/layers/': true,
      'https://onnx.ai/onnx/operators/': true,
      'http://github.com/': false,
      'file:///etc/passwd': false,
      'smb://attacker/share': false,
      'javascript:alert(1)': false,
      'https://evil.github.io/': false,
      'https://github.com.evil.example/': false,
      'https://user:pass@github.com/': false,
      'https://github.com:8443/': false,
      'not a url': false,
    });
  });
});
