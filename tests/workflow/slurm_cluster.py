"""A real single-node Slurm cluster for tests: munge, MariaDB, slurmdbd, slurmctld and slurmd.

Every daemon runs in the foreground as a child of the test process (no systemd), with its
configuration, sockets, logs and state under one temporary directory and on free TCP ports, so
it never touches /etc or a cluster that may already run here. ``stop()`` ends each daemon by the
PID this module started it with. Needs root and Debian's slurm-wlm, slurmdbd, munge and
mariadb-server (``make test`` installs them; see DEBS in the Makefile).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PROGRAMS = ("munged", "mariadbd", "mysql_install_db", "slurmdbd", "slurmctld", "slurmd", "sbatch", "srun",
            "sacct", "sacctmgr")
CLUSTER = "srtktest"
ACCOUNT = "srtk"


def missing_programs() -> list[str]:
    """Programs of the cluster not found on PATH or in /usr/sbin."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [p for p in PROGRAMS if shutil.which(p, path=search) is None]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, ok, timeout: float, log: Path | None = None) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if ok():
            return
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s\n{tail}")


class SlurmCluster:
    """One node (this machine, ``cpus`` CPUs) in one partition, with accounting in MariaDB."""

    def __init__(self, base: Path, cpus: int | None = None) -> None:
        self.base = Path(base)
        self.cpus = cpus or os.cpu_count() or 1
        self.node = socket.gethostname().split(".")[0]
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports = {k: _free_port() for k in ("mysql", "dbd", "ctld", "slurmd")}
        for sub in ("etc", "log", "run", "spool/ctld", "spool/d", "mysql"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        self.munge_socket = self.base / "run" / "munge.socket"
        self.conf = self.base / "etc" / "slurm.conf"
        self._write_srun_shim()

    def _write_srun_shim(self) -> None:
        """``srun`` that finds this cluster's slurm.conf: the plugin's job step drops every SLURM_*
        variable (SLURM_CONF too) before calling srun, which then looks in /etc/slurm only."""
        srun = shutil.which("srun")
        if srun is None:
            return
        shim = self.base / "bin" / "srun"
        shim.parent.mkdir(parents=True, exist_ok=True)
        shim.write_text(f'#!/bin/sh\nSLURM_CONF={self.conf}\nexport SLURM_CONF\nexec {srun} "$@"\n')
        shim.chmod(0o755)

    # -- environment seen by Slurm's client commands (sbatch, sacct, ...) and the workflow
    def env(self) -> dict[str, str]:
        path = os.pathsep.join([str(self.base / "bin"), os.environ.get("PATH", "")])
        for extra in ("/usr/sbin", "/sbin"):
            if extra not in path.split(os.pathsep):
                path += os.pathsep + extra
        return {**os.environ, "SLURM_CONF": str(self.conf), "PATH": path}

    def run(self, *cmd: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(cmd), env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = open(self.base / "log" / f"{name}.out", "wb")
        self.procs[name] = subprocess.Popen(cmd, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()

    def _alive(self, name: str) -> bool:
        proc = self.procs[name]
        if proc.poll() is not None:
            log = self.base / "log" / f"{name}.out"
            raise RuntimeError(f"{name} exited with status {proc.returncode}:\n"
                               f"{log.read_text(errors='replace')[-3000:]}")
        return True

    # -- daemons, in dependency order
    def start(self) -> None:
        try:
            self._start_munge()
            self._start_mariadb()
            self._write_slurm_conf()
            self._start_slurmdbd()
            self._register_accounts()
            self._start_slurmctld_and_slurmd()
        except BaseException:
            self.stop()
            raise

    def _start_munge(self) -> None:
        key = self.base / "etc" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o600)
        self._spawn("munged", ["munged", "-F", "-f", f"--socket={self.munge_socket}", f"--key-file={key}",
                               f"--log-file={self.base / 'log' / 'munged.log'}",
                               f"--pid-file={self.base / 'run' / 'munged.pid'}",
                               f"--seed-file={self.base / 'run' / 'munged.seed'}"])
        _wait("munged", lambda: self._alive("munged") and self.munge_socket.exists(), 20,
              self.base / "log" / "munged.log")

    def _start_mariadb(self) -> None:
        data = self.base / "mysql"
        self.mysql_socket = self.base / "run" / "mysql.sock"
        self.run("mysql_install_db", f"--datadir={data}", "--user=root", "--auth-root-authentication-method=socket",
                 "--skip-test-db", timeout=180)
        self._spawn("mariadbd", ["mariadbd", "--no-defaults", f"--datadir={data}", "--user=root",
                                 f"--socket={self.mysql_socket}", f"--port={self.ports['mysql']}",
                                 "--bind-address=127.0.0.1", f"--pid-file={self.base / 'run' / 'mysql.pid'}",
                                 "--innodb-buffer-pool-size=64M", "--skip-log-bin"])

        def ready() -> bool:
            self._alive("mariadbd")
            return self.run("mysql", f"--socket={self.mysql_socket}", "-uroot", "-e", "SELECT 1",
                            check=False).returncode == 0

        _wait("mariadbd", ready, 60, self.base / "log" / "mariadbd.out")
        self.db_password = os.urandom(8).hex()
        self.run("mysql", f"--socket={self.mysql_socket}", "-uroot", "-e",
                 f"CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '{self.db_password}'; "
                 "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1'; FLUSH PRIVILEGES;")

    def _write_slurm_conf(self) -> None:
        b, p = self.base, self.ports
        auth = f"AuthType=auth/munge\nAuthInfo=socket={self.munge_socket}\n"
        dbd = b / "etc" / "slurmdbd.conf"
        dbd.write_text(
            f"{auth}DbdHost=localhost\nDbdAddr=127.0.0.1\nDbdPort={p['dbd']}\nSlurmUser=root\n"
            f"PidFile={b / 'run' / 'slurmdbd.pid'}\nLogFile={b / 'log' / 'slurmdbd.log'}\n"
            "StorageType=accounting_storage/mysql\nStorageHost=127.0.0.1\n"
            f"StoragePort={p['mysql']}\nStorageUser=slurm\nStoragePass={self.db_password}\n"
            "StorageLoc=slurm_acct_db\n")
        dbd.chmod(0o600)
        self.conf.write_text(
            f"ClusterName={CLUSTER}\nSlurmctldHost={self.node}(127.0.0.1)\nSlurmUser=root\n{auth}"
            "CredType=cred/munge\n"
            f"SlurmctldPort={p['ctld']}\nSlurmdPort={p['slurmd']}\n"
            f"StateSaveLocation={b / 'spool' / 'ctld'}\nSlurmdSpoolDir={b / 'spool' / 'd'}\n"
            f"SlurmctldPidFile={b / 'run' / 'slurmctld.pid'}\nSlurmdPidFile={b / 'run' / 'slurmd.pid'}\n"
            f"SlurmctldLogFile={b / 'log' / 'slurmctld.log'}\nSlurmdLogFile={b / 'log' / 'slurmd.log'}\n"
            "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nMpiDefault=none\n"
            "SwitchType=switch/none\nJobAcctGatherType=jobacct_gather/linux\nJobAcctGatherFrequency=5\n"
            "SelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\nReturnToService=2\n"
            "SchedulerType=sched/backfill\nMinJobAge=300\nSlurmdTimeout=60\nInactiveLimit=0\n"
            "AccountingStorageType=accounting_storage/slurmdbd\nAccountingStorageHost=localhost\n"
            f"AccountingStoragePort={p['dbd']}\nAccountingStoreFlags=job_comment\nJobCompType=jobcomp/none\n"
            # the munge socket for connections to slurmdbd is read from here, not from AuthInfo
            f"AccountingStoragePass={self.munge_socket}\n"
            f"NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory=4000 State=UNKNOWN\n"
            "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n")

    def _start_slurmdbd(self) -> None:
        self._spawn("slurmdbd", ["slurmdbd", "-D"])

        def ready() -> bool:
            self._alive("slurmdbd")
            return self.run("sacctmgr", "-n", "list", "cluster", check=False).returncode == 0

        _wait("slurmdbd", ready, 90, self.base / "log" / "slurmdbd.log")

    def _register_accounts(self) -> None:
        self.run("sacctmgr", "-i", "add", "cluster", CLUSTER)
        self.run("sacctmgr", "-i", "add", "account", ACCOUNT, f"Cluster={CLUSTER}")
        self.run("sacctmgr", "-i", "add", "user", "root", f"Account={ACCOUNT}", f"Cluster={CLUSTER}",
                 f"DefaultAccount={ACCOUNT}")

    def _start_slurmctld_and_slurmd(self) -> None:
        self._spawn("slurmctld", ["slurmctld", "-D", "-i"])
        _wait("slurmctld", lambda: self._alive("slurmctld") and self.run("sinfo", check=False).returncode == 0,
              60, self.base / "log" / "slurmctld.log")
        self._spawn("slurmd", ["slurmd", "-D", "-N", self.node])

        def idle() -> bool:
            self._alive("slurmd")
            state = self.run("sinfo", "-h", "-N", "-o", "%T", check=False).stdout.strip()
            return state.startswith("idle") or state.startswith("mixed")

        _wait("slurmd (node idle)", idle, 60, self.base / "log" / "slurmd.log")

    def stop(self) -> None:
        """End every daemon this object started, by its PID, in reverse order."""
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
        self.procs.clear()
