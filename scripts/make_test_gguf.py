#!/usr/bin/env python3
"""Writes small random-weight GGUF language models for Folio's tests and benchmark.

Real architecture (llama, shaped like SmolLM2), a real byte-level BPE tokenizer trained
here on the repository's own prose, SmolLM2's ChatML chat template in the metadata, and
random weights: no model can be downloaded on the test machine, and the runner's code
paths (load, template, tokenize, decode, sample, stop) do not care what the weights say.

usage: make_test_gguf.py OUT_DIR TEXT_FILE...
writes OUT_DIR/tiny-llama.gguf (~2 MB, F32) and OUT_DIR/smollm2-135m-shape.gguf (SmolLM2-135M's
shape, Q8_0, ~145 MB) for the benchmark.
"""
import sys
from pathlib import Path

import numpy as np
import gguf
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers

# SmolLM2-Instruct's chat template (ChatML), as its tokenizer_config.json declares it.
CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def train_tokenizer(texts, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    return tok


def write_model(path, tok, *, n_embd, n_layer, n_head, n_head_kv, n_ff, ctx, qtype, seed):
    rng = np.random.default_rng(seed)
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    n_vocab = len(tokens)
    model = tok.to_str()
    import json
    merges = json.loads(model)["model"]["merges"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in merges]

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(path.stem)
    w.add_context_length(ctx)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layer)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head_kv)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_freq_base(100000.0)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_vocab_size(n_vocab)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_Q8_0 if qtype == gguf.GGMLQuantizationType.Q8_0 else gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_types([gguf.TokenType.CONTROL if t in SPECIALS else gguf.TokenType.NORMAL for t in tokens])
    w.add_token_merges(merges)
    w.add_bos_token_id(vocab["<|im_start|>"])
    w.add_eos_token_id(vocab["<|im_end|>"])
    w.add_pad_token_id(vocab["<|endoftext|>"])
    w.add_add_bos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    def tensor(name, shape, norm=False, silent_rows=()):
        if norm:
            data = np.ones(shape, dtype=np.float32)
            w.add_tensor(name, data)
            return
        data = (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float32)
        # The output layer is tied to the token embeddings: a zero row scores 0 while
        # ordinary tokens score above and below it, so greedy decoding never picks that
        # token. So random weights never end or go blank at the first step, and every test
        # sees a real (if meaningless) answer.
        for row in silent_rows:
            data[row] = 0.0
        if qtype == gguf.GGMLQuantizationType.Q8_0:
            q = gguf.quants.quantize(data, qtype)
            w.add_tensor(name, q, raw_shape=q.shape, raw_dtype=qtype)
        else:
            w.add_tensor(name, data)

    head_dim = n_embd // n_head
    # Specials, and tokens that are only spaces or line breaks (GPT-2's byte alphabet
    # writes them Ġ, Ċ, ĉ, č): random weights otherwise settle on writing "\n" forever.
    blank = [i for t, i in vocab.items() if t and all(c in "ĠĊĉč" for c in t)]
    tensor("token_embd.weight", (n_vocab, n_embd), silent_rows=[vocab[t] for t in SPECIALS] + blank)
    tensor("output_norm.weight", (n_embd,), norm=True)
    for i in range(n_layer):
        tensor(f"blk.{i}.attn_norm.weight", (n_embd,), norm=True)
        tensor(f"blk.{i}.attn_q.weight", (n_embd, n_embd))
        tensor(f"blk.{i}.attn_k.weight", (n_head_kv * head_dim, n_embd))
        tensor(f"blk.{i}.attn_v.weight", (n_head_kv * head_dim, n_embd))
        tensor(f"blk.{i}.attn_output.weight", (n_embd, n_embd))
        tensor(f"blk.{i}.ffn_norm.weight", (n_embd,), norm=True)
        tensor(f"blk.{i}.ffn_gate.weight", (n_ff, n_embd))
        tensor(f"blk.{i}.ffn_up.weight", (n_ff, n_embd))
        tensor(f"blk.{i}.ffn_down.weight", (n_embd, n_ff))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    texts = []
    for f in sys.argv[2:]:
        texts.extend(Path(f).read_text(encoding="utf-8", errors="replace").splitlines())
    if not texts:
        sys.exit("make_test_gguf.py: no text to train the tokenizer on")
    tok = train_tokenizer(texts, 2048)
    # Tiny: every test loads it in milliseconds.
    write_model(out / "tiny-llama.gguf", tok, n_embd=64, n_layer=2, n_head=4, n_head_kv=2,
                n_ff=128, ctx=8192, qtype=gguf.GGMLQuantizationType.F32, seed=8)
    # SmolLM2-135M's shape (576 wide, 30 layers, 9 heads / 3 kv, 1536 ff) with a 2k
    # vocabulary instead of 49k: the benchmark's compute is close to the real model's.
    write_model(out / "smollm2-135m-shape.gguf", tok, n_embd=576, n_layer=30, n_head=9, n_head_kv=3,
                n_ff=1536, ctx=2048, qtype=gguf.GGMLQuantizationType.Q8_0, seed=135)


if __name__ == "__main__":
    main()
