"""What Python validators do with altered model repos: load with transformers (the class from
`model_type`, as AutoModelForCausalLM does), then per-window losses as the reference computes them
(logits of the whole window, shift by one, mean cross-entropy), in float32.

Run in a virtualenv with torch, transformers and safetensors:
    python adapters-djl/src/test/python/transformers_verdicts.py adapters-djl/src/test/resources/transformers
It writes verdicts.json (per case: the files of the repo, and "ok" with the losses of each window or
"refused" with transformers' error), configs/<case>.json (the exact config.json text) and
weights/<sha256 prefix>.safetensors (weights shared by the cases that have the same).
"""
import hashlib
import copy
import json
import math
import os
import shutil
import sys
import warnings

import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()
warnings.filterwarnings("ignore")

OUT = sys.argv[1]
VOCAB = 64
torch.manual_seed(19)
WINDOWS = [[int(x) for x in torch.randint(0, VOCAB, (48,))] for _ in range(3)]
LONG_WINDOWS = [[int(x) for x in torch.randint(0, VOCAB, (80,))] for _ in range(2)]

LLAMA = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": VOCAB, "hidden_size": 32,
    "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
    "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "hidden_act": "silu", "tie_word_embeddings": False,
    "rope_theta": 10000.0, "torch_dtype": "float32", "eos_token_id": 2, "bos_token_id": 1,
}
GPT2 = {
    "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB, "n_embd": 32, "n_head": 4,
    "n_layer": 2, "n_positions": 64, "n_inner": 48, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
    "torch_dtype": "float32", "eos_token_id": 2,
}


def weights(config):
    """Random weights of the model config describes, with a fixed seed, in Hugging Face names."""
    torch.manual_seed(7)
    config = {k: v for k, v in config.items() if k not in ("architectures",)}
    conf = AutoConfig.for_model(config.pop("model_type"), **config)
    model = AutoModelForCausalLM.from_config(conf, torch_dtype=torch.float32)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name or name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if getattr(conf, "tie_word_embeddings", False):
        state.pop("lm_head.weight", None)
    if conf.model_type == "gpt2":
        state = {k: v for k, v in state.items() if not k.endswith(".attn.bias") and not k.endswith(".attn.masked_bias")}
    return state


def losses(model, windows):
    out = []
    with torch.no_grad():
        for w in windows:
            ids = torch.tensor([w])
            logits = model(ids).logits
            loss = torch.nn.functional.cross_entropy(logits[0, :-1].float(), ids[0, 1:])
            out.append(float(loss))
    return out


def verdict(path, windows):
    try:
        model = AutoModelForCausalLM.from_pretrained(path, torch_dtype=torch.float32, use_safetensors=True, local_files_only=True)
        model.eval()
        values = losses(model, windows)
        return {"transformers": "ok", "class": type(model).__name__, "losses": values}
    except Exception as e:
        return {"transformers": "refused", "error": (type(e).__name__ + ": " + str(e))[:400]}


CASES = []


def case(name, about, base, edit=None, config_text=None, windows=None, weights_edit=None, weights_from=None, extra_files=None,
         deterministic=True):
    CASES.append(dict(name=name, about=about, base=base, edit=edit, config_text=config_text, windows=windows or WINDOWS,
                      weights_edit=weights_edit, weights_from=weights_from, extra_files=extra_files, deterministic=deterministic))


def drop(*keys):
    def f(c):
        for k in keys:
            c.pop(k, None)
    return f


def setk(**kv):
    def f(c):
        c.update(kv)
    return f


# 8a: the class comes from model_type
case("llama-baseline", "the base Llama", LLAMA)
case("arch-missing", "no architectures (what transformers 5's save_pretrained writes)", LLAMA, drop("architectures"))
case("arch-string", "architectures as a string", LLAMA, setk(architectures="LlamaForCausalLM"))
case("arch-two", "two architectures", LLAMA, setk(architectures=["LlamaForCausalLM", "GPT2LMHeadModel"]))
case("arch-unknown", "an unknown class name", LLAMA, setk(architectures=["FancyForCausalLM"]))
case("arch-gpt2-on-llama", "architectures names GPT-2, model_type is llama", LLAMA, setk(architectures=["GPT2LMHeadModel"]))
case("model-type-missing", "no model_type", LLAMA, drop("model_type"))
case("model-type-unknown", "an unknown model_type", LLAMA, setk(model_type="fancy"))
case("gpt2-arch-missing", "GPT-2 without architectures", GPT2, drop("architectures"))
case("mistral-as-llama-class", "model_type mistral, architectures LlamaForCausalLM", LLAMA,
     setk(model_type="mistral", architectures=["LlamaForCausalLM"], sliding_window=None))
# transformers 5's own form of rotary settings
case("rope-parameters-theta", "rope_parameters with rope_theta 500000 (transformers 5's form)", LLAMA,
     lambda c: (c.pop("rope_theta"), c.update(rope_parameters={"rope_type": "default", "rope_theta": 500000.0})))
# 8b, 8c: rotary types
case("rope-linear", "rope_scaling linear, factor 2", LLAMA, setk(rope_scaling={"rope_type": "linear", "factor": 2.0}))
case("rope-linear-legacy-type", "rope_scaling {type: linear}", LLAMA, setk(rope_scaling={"type": "linear", "factor": 4.0}))
case("rope-llama3", "llama3, factor 8, theta 500000, original 32", LLAMA,
     setk(rope_theta=500000.0, rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                             "original_max_position_embeddings": 32}))
case("rope-llama3-big-head", "llama3 on 32-wide heads, original 16, factor 32", LLAMA,
     setk(num_attention_heads=1, num_key_value_heads=1, rope_theta=500000.0,
          rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                        "original_max_position_embeddings": 16}))
case("rope-yarn", "yarn, factor 4, original 32", LLAMA,
     setk(rope_scaling={"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32}))
case("rope-yarn-options", "yarn with beta_fast 16, beta_slow 2, attention_factor 1.3", LLAMA,
     setk(rope_scaling={"rope_type": "yarn", "factor": 2.0, "original_max_position_embeddings": 32, "beta_fast": 16.0, "beta_slow": 2.0,
                        "attention_factor": 1.3}))
case("rope-yarn-mscale", "yarn with mscale and mscale_all_dim", LLAMA,
     setk(rope_scaling={"rope_type": "yarn", "factor": 8.0, "original_max_position_embeddings": 16, "mscale": 0.707,
                        "mscale_all_dim": 1.0}))
case("rope-dynamic-short", "dynamic NTK, windows within max_position_embeddings", LLAMA,
     setk(rope_scaling={"rope_type": "dynamic", "factor": 2.0}))
case("rope-dynamic-long", "dynamic NTK, windows of 80 beyond max_position_embeddings 64", LLAMA,
     setk(rope_scaling={"rope_type": "dynamic", "factor": 2.0}), windows=LONG_WINDOWS)
SHORT = [1.0 + 0.05 * i for i in range(8)]
LONG = [1.0 + 0.5 * i for i in range(8)]
case("rope-longrope", "longrope, windows longer than original 32 (long factors)", LLAMA,
     setk(rope_scaling={"rope_type": "longrope", "original_max_position_embeddings": 32, "short_factor": SHORT, "long_factor": LONG}))
case("rope-longrope-short", "longrope, windows within original 64 (short factors), factor 2", LLAMA,
     setk(rope_scaling={"rope_type": "longrope", "original_max_position_embeddings": 64, "factor": 2.0, "short_factor": SHORT,
                        "long_factor": LONG}))
case("rope-unknown", "an unknown rope type", LLAMA, setk(rope_scaling={"rope_type": "fancy", "factor": 2.0}))
# 8d
case("config-over-1mib", "a config.json of 1.5 MB (a long extra field)", LLAMA, setk(notes="x" * 1_500_000))
case("positions-below-window", "max_position_embeddings 32, windows of 48", LLAMA, setk(max_position_embeddings=32))
case("gpt2-positions-below-window", "GPT-2 n_positions 32, windows of 48", GPT2, setk(n_positions=32))
case("rms-eps-overflow", "rms_norm_eps 1e999 (inf in Python)", LLAMA,
     config_text=lambda text: text.replace('"rms_norm_eps": 1e-06', '"rms_norm_eps": 1e999'))
case("nan-literal", "NaN and Infinity literals in fields transformers does not use", LLAMA,
     config_text=lambda text: text.replace('"torch_dtype": "float32"', '"torch_dtype": "float32", "my_note": NaN, "x": -Infinity'))
case("nan-initializer-range", "initializer_range NaN (transformers 5 validates it)", LLAMA,
     config_text=lambda text: text.replace('"torch_dtype": "float32"', '"torch_dtype": "float32", "initializer_range": NaN'))
case("hidden-size-float", "hidden_size written 32.0", LLAMA, config_text=lambda text: text.replace('"hidden_size": 32', '"hidden_size": 32.0'))
case("head-dim-explicit", "head_dim 8 given with 2 heads on hidden 32", LLAMA, setk(head_dim=8))
case("duplicate-key", "hidden_act given twice (the last, silu, wins)", LLAMA,
     config_text=lambda text: text.replace('"hidden_act": "silu"', '"hidden_act": "relu", "hidden_act": "silu"'))
case("escape-plus", "a \\u+041 escape, which Python's JSON refuses", LLAMA,
     config_text=lambda text: text.replace('"model_type": "llama"', '"model_type": "llama", "note": "\\u+041"'))
case("escape-lone-surrogate", "a lone surrogate escape, which Python's JSON keeps", LLAMA,
     config_text=lambda text: text.replace('"model_type": "llama"', '"model_type": "llama", "note": "\\ud800"'))
# 8e
case("missing-layer", "num_hidden_layers 3 with the weights of 2 (transformers initialises layer 2 at random)", LLAMA,
     setk(num_hidden_layers=3), weights_from=LLAMA, deterministic=False)
# 8f
case("int-weights", "the norms stored as I32 and the embedding as I8", LLAMA,
     weights_edit=lambda s: {k: (v.round().to(torch.int32) if "norm" in k else (v * 10).round().to(torch.int8) if "embed" in k else v)
                             for k, v in s.items()})
case("bool-and-u8-weights", "one projection as U8, one norm as BOOL", LLAMA,
     weights_edit=lambda s: {k: (v.abs().mul(20).round().to(torch.uint8) if k.endswith("layers.0.mlp.up_proj.weight")
                                 else (v > 1.0) if k == "model.norm.weight" else v) for k, v in s.items()})
case("index-beside-single", "model.safetensors.index.json beside model.safetensors", LLAMA,
     extra_files={"model.safetensors.index.json": {"metadata": {}, "weight_map": {"model.norm.weight": "/etc/passwd"}}})


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "configs"))
    os.makedirs(os.path.join(OUT, "weights"))
    verdicts = []
    scratch = os.path.join(OUT, "scratch")
    for c in CASES:
        d = os.path.join(scratch, c["name"])
        os.makedirs(d)
        config = copy.deepcopy(c["base"])
        if c["edit"]:
            c["edit"](config)
        text = json.dumps(config, indent=2, sort_keys=False)
        if c["config_text"]:
            text = c["config_text"](text)
        with open(os.path.join(d, "config.json"), "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(OUT, "configs", c["name"] + ".json"), "w", encoding="utf-8") as f:
            f.write(text)
        source = copy.deepcopy(c["weights_from"] or config)
        source.pop("notes", None)
        try:
            state = weights(source)
        except Exception:
            state = weights(copy.deepcopy(c["base"]))
        if c["weights_edit"]:
            state = c["weights_edit"](state)
        single = os.path.join(d, "model.safetensors")
        save_file(state, single, metadata={"format": "pt"})
        with open(single, "rb") as f:
            raw = f.read()
        key = hashlib.sha256(raw).hexdigest()[:16]
        shared = os.path.join(OUT, "weights", key + ".safetensors")
        if not os.path.exists(shared):
            shutil.copyfile(single, shared)
        files = {"config.json": "configs/" + c["name"] + ".json", "model.safetensors": "weights/" + key + ".safetensors"}
        for fname, content in (c["extra_files"] or {}).items():
            with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
                json.dump(content, f)
            with open(os.path.join(OUT, "configs", c["name"] + "." + fname), "w", encoding="utf-8") as f:
                json.dump(content, f)
            files[fname] = "configs/" + c["name"] + "." + fname
        v = verdict(d, c["windows"])
        entry = {"name": c["name"], "about": c["about"], "files": files, "windows": c["windows"], "deterministic": c["deterministic"]}
        entry.update(v)
        if not c["deterministic"]:
            entry.pop("losses", None)
        verdicts.append(entry)
        print(c["name"], v.get("transformers"), v.get("class", ""), v.get("error", "")[:150], file=sys.stderr)
    shutil.rmtree(scratch)
    import transformers
    with open(os.path.join(OUT, "verdicts.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "adapters-djl/src/test/python/transformers_verdicts.py", "transformers": transformers.__version__,
                   "torch": torch.__version__, "cases": verdicts}, f, indent=1)


if __name__ == "__main__":
    main()
