"""An independent client check: proxmoxer 2.3.0 drives a running berth-pve-sim.

Environment (see crates/pve-sim/README.md for the full recipe):
  PVE_SIM_URL        e.g. https://127.0.0.1:18006  (with or without /api2/json)
  PVE_SIM_CA         path to the simulator's CA certificate (PEM), from `--ca-file`
  PVE_SIM_TOKEN      "user@realm!tokenid=<uuid>" with the LXCProvisioner role
  PVE_SIM_USER       a user with the same rights, for ticket logins (default berth@pve)
  PVE_SIM_PASSWORD   its password (or PVE_SIM_SEED: the seed file to read it from)
  PVE_SIM_AUDITOR_TOKEN  optional: a token without VM.Allocate, for the 403 check
  PVE_SIM_NODE       node to use (default pve1)
"""

import os
import tomllib
from urllib.parse import urlparse

import pytest
from proxmoxer import ProxmoxAPI, ResourceException
from proxmoxer.tools import Tasks

NODE = os.environ.get("PVE_SIM_NODE", "pve1")
TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"


def _host():
    url = urlparse(os.environ["PVE_SIM_URL"])
    return url.hostname, url.port or 8006


def _api_with_token(token):
    host, port = _host()
    full, value = token.rsplit("=", 1)
    user, name = full.split("!", 1)
    return ProxmoxAPI(
        host, port=port, user=user, token_name=name, token_value=value,
        verify_ssl=os.environ["PVE_SIM_CA"], timeout=30,
    )


def token_api():
    return _api_with_token(os.environ["PVE_SIM_TOKEN"])


def _password(userid):
    if "PVE_SIM_PASSWORD" in os.environ:
        return os.environ["PVE_SIM_PASSWORD"]
    with open(os.environ["PVE_SIM_SEED"], "rb") as seed:
        users = tomllib.load(seed)["users"]
    return next(u["password"] for u in users if u["userid"] == userid)


def ticket_api():
    host, port = _host()
    user = os.environ.get("PVE_SIM_USER", "berth@pve")
    return ProxmoxAPI(
        host, port=port, user=user, password=_password(user),
        verify_ssl=os.environ["PVE_SIM_CA"], timeout=30,
    )


def wait_ok(prox, upid):
    status = Tasks.blocking_status(prox, upid, timeout=120, polling_interval=0.1)
    assert status["status"] == "stopped", status
    assert status["exitstatus"] == "OK", status
    return status


@pytest.fixture(params=["token", "ticket"])
def prox(request):
    return token_api() if request.param == "token" else ticket_api()


def test_version(prox):
    version = prox.version.get()
    assert version["version"].startswith("9.")


def test_lifecycle(prox):
    vmid = int(prox.cluster.nextid.get())  # a string in real PVE
    node = prox.nodes(NODE)
    upid = node.lxc.post(
        vmid=vmid, ostemplate=TEMPLATE, rootfs="local-lvm:2", unprivileged=1,
        hostname=f"px-{vmid}", memory=512, net0="name=eth0,bridge=vmbr0,ip=dhcp",
    )
    decoded = Tasks.decode_upid(upid)
    assert decoded["type"] == "vzcreate" and decoded["id"] == str(vmid)
    wait_ok(prox, upid)
    ct = node.lxc(vmid)
    assert ct.config.get()["hostname"] == f"px-{vmid}"
    log = node.tasks(upid).log.get(limit=0)
    assert Tasks.decode_log(log).splitlines()[-1] == "TASK OK"

    wait_ok(prox, ct.status.start.post())
    assert ct.status.current.get()["status"] == "running"
    ifaces = ct.interfaces.get()
    eth0 = [i for i in ifaces if i["name"] == "eth0"][0]
    assert eth0["inet"].endswith("/24")

    wait_ok(prox, ct.snapshot.post(snapname="before", description="pytest"))
    names = [s["name"] for s in ct.snapshot.get()]
    assert names == ["before", "current"]

    wait_ok(prox, ct.status.stop.post())
    assert ct.status.current.get()["status"] == "stopped"
    wait_ok(prox, ct.delete(purge=1))
    with pytest.raises(ResourceException) as err:
        ct.config.get()
    assert err.value.status_code == 500
    assert err.value.content == f"Configuration file 'nodes/{NODE}/lxc/{vmid}.conf' does not exist"


@pytest.mark.parametrize(
    "params, errors",
    [
        ({"vmid": 99, "ostemplate": TEMPLATE},
         {"vmid": "invalid format - value does not look like a valid VM ID\n"}),
        ({"vmid": "abc", "ostemplate": TEMPLATE},
         {"vmid": "type check ('integer') failed - got 'abc'"}),
        ({"vmid": 100},
         {"ostemplate": "property is missing and it is not optional"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "memory": 8, "swap": -1, "cores": 0},
         {"cores": "value must have a minimum value of 1",
          "memory": "value must have a minimum value of 16",
          "swap": "value must have a minimum value of 0"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "hostname": "bad_name"},
         {"hostname": "invalid format - value does not look like a valid DNS name\n"}),
        # proxmoxer sends Python True as "True": PVE rejects it like this.
        ({"vmid": 100, "ostemplate": TEMPLATE, "unprivileged": True},
         {"unprivileged": "type check ('boolean') failed - got 'True'"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "net0": "name=eth0,bridge=vmbr0,ip=10.0.0.5"},
         {"net0": "invalid format - format error\nnet0.ip: invalid format - value does not look "
                  "like a valid ipv4 network configuration\n\n"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "net0": "name=eth0,bridge=vmbr0,tag=5000"},
         {"net0": "invalid format - format error\nnet0.tag: value must have a maximum value of 4094\n"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "tags": "bad!tag"},
         {"tags": "invalid format - invalid characters in tag\n"}),
        ({"vmid": 100, "ostemplate": TEMPLATE, "foo": 1},
         {"foo": "property is not defined in schema and the schema does not allow additional properties"}),
    ],
)
def test_validation_errors(params, errors):
    with pytest.raises(ResourceException) as err:
        token_api().nodes(NODE).lxc.post(**params)
    assert err.value.status_code == 400
    assert err.value.content == "Parameter verification failed."
    assert err.value.errors == errors


def test_semantic_errors_carry_the_reason_phrase():
    prox = token_api()
    node = prox.nodes(NODE)
    vmid = int(prox.cluster.nextid.get())
    wait_ok(prox, node.lxc.post(vmid=vmid, ostemplate=TEMPLATE, rootfs="local-lvm:1"))
    try:
        with pytest.raises(ResourceException) as err:
            node.lxc.post(vmid=vmid, ostemplate=TEMPLATE)
        assert err.value.status_code == 500
        assert err.value.content == f"CT {vmid} already exists on node '{NODE}'"
        with pytest.raises(ResourceException) as err:
            node.lxc(vmid).status.stop.post()
        assert err.value.content == f"CT {vmid} not running"
        with pytest.raises(ResourceException) as err:
            node.lxc.post(vmid=vmid + 1, ostemplate="local:iso/x.iso")
        assert err.value.content == \
            "unable to use volume local:iso/x.iso - content type needs to be 'vztmpl'"
        with pytest.raises(ResourceException) as err:
            prox.nodes(NODE).foo.get()
        assert err.value.status_code == 501
        assert err.value.content == f"Method 'GET /nodes/{NODE}/foo' not implemented"
    finally:
        wait_ok(prox, node.lxc(vmid).delete())


def test_token_without_vm_allocate_is_403():
    token = os.environ.get("PVE_SIM_AUDITOR_TOKEN")
    if not token:
        pytest.skip("PVE_SIM_AUDITOR_TOKEN not set")
    with pytest.raises(ResourceException) as err:
        _api_with_token(token).nodes(NODE).lxc.post(vmid=100, ostemplate=TEMPLATE)
    assert err.value.status_code == 403
    assert err.value.content == "Permission check failed (/vms/100, VM.Allocate)"
