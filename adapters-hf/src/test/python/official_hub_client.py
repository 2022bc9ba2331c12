"""Runs the official Hugging Face Hub client (huggingface_hub, what the reference validators use)
against a Hub endpoint, through the client's common operations, and prints one line per operation:
"ok <name>: <detail>" or "FAIL <name>: <error>". Exits 1 if any failed.

    HF_ENDPOINT=http://127.0.0.1:<port> HF_TOKEN=<token> python official_hub_client.py <scratch dir>

OfficialHubClientTest runs it against FakeHub when a Python with huggingface_hub is found.
"""
import json
import os
import sys
import traceback

scratch = sys.argv[1]
os.environ.setdefault("HF_HOME", os.path.join(scratch, "hf-home"))
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# hf_xet, when installed, moves uploads to the Xet storage protocol (a CAS service), which neither FakeHub nor
# pretrain4j's store speaks; the Hub still takes the LFS protocol, which this checks
os.environ["HF_HUB_DISABLE_XET"] = "1"

import huggingface_hub  # noqa: E402
from huggingface_hub import HfApi, hf_hub_download, snapshot_download  # noqa: E402
from huggingface_hub import CommitOperationAdd  # noqa: E402

api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
repo = "official-client/tiny-model"
failures = 0


def check(name, fn):
    global failures
    try:
        detail = fn()
        print(f"ok {name}: {detail}")
    except Exception as e:  # one line per failure, with the exception's type
        failures += 1
        print(f"FAIL {name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        traceback.print_exc(file=sys.stderr)


folder = os.path.join(scratch, "model")
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
    json.dump({"model_type": "llama", "hidden_size": 8}, f)
weights = bytes(range(256)) * 64  # 16 KiB: sent through LFS (a *.safetensors file)
with open(os.path.join(folder, "model.safetensors"), "wb") as f:
    f.write(weights)

check("whoami", lambda: api.whoami()["name"])
check("create_repo", lambda: str(api.create_repo(repo, private=False, exist_ok=True)))
check("create_repo exist_ok", lambda: str(api.create_repo(repo, exist_ok=True)))
check("upload_folder", lambda: api.upload_folder(repo_id=repo, folder_path=folder, commit_message="first").oid)
check("repo_exists", lambda: (api.repo_exists(repo), api.repo_exists("official-client/missing")) == (True, False) or 1 / 0)
check("model_info files_metadata", lambda: sorted((s.rfilename, s.size) for s in api.model_info(repo, files_metadata=True).siblings))
check("list_repo_files", lambda: api.list_repo_files(repo))
check("list_repo_tree recursive", lambda: sorted(e.path for e in api.list_repo_tree(repo, recursive=True)))
check("get_paths_info", lambda: [(e.path, getattr(e, "size", None)) for e in api.get_paths_info(repo, ["config.json", "model.safetensors"])])
check("file_exists", lambda: (api.file_exists(repo, "config.json"), api.file_exists(repo, "nope.bin")) == (True, False) or 1 / 0)


def download_regular():
    path = hf_hub_download(repo, "config.json", endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
    return json.load(open(path, encoding="utf-8"))["hidden_size"]


def download_lfs():
    path = hf_hub_download(repo, "model.safetensors", endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"],
                           cache_dir=os.path.join(scratch, "cache-lfs"))
    data = open(path, "rb").read()
    if data != weights:
        raise AssertionError("the LFS file came back different")
    return f"{len(data)} bytes"


check("hf_hub_download regular", download_regular)
check("hf_hub_download lfs", download_lfs)
check("snapshot_download", lambda: sorted(os.listdir(snapshot_download(repo, endpoint=os.environ["HF_ENDPOINT"],
                                                                       token=os.environ["HF_TOKEN"],
                                                                       cache_dir=os.path.join(scratch, "cache-snap")))))
check("list_repo_commits", lambda: [c.title for c in api.list_repo_commits(repo)])


def commit_to_missing_branch():
    try:
        api.create_commit(repo, operations=[CommitOperationAdd("x.txt", b"x")], commit_message="x", revision="no-such-branch")
    except huggingface_hub.errors.HfHubHTTPError as e:
        if e.response is not None and e.response.status_code == 404:
            return "404 as expected"
        raise
    raise AssertionError("a commit to a branch that does not exist was accepted")


check("create_commit to a missing branch", commit_to_missing_branch)
check("update_repo_settings private", lambda: str(api.update_repo_settings(repo, private=True)))
print(f"{failures} failed, huggingface_hub {huggingface_hub.__version__}")
sys.exit(1 if failures else 0)
