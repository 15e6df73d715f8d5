"""Playground forms: the editable parts of a scenario, and a pasted kernel report."""

from __future__ import annotations

import json
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

SIZE_HINT = "pages, or a size such as 512MiB"


class TaskForm(Form):
    pid = HiddenField()
    rss_anon = StringField("anon rss", description=SIZE_HINT)
    rss_file = StringField("file rss")
    rss_shmem = StringField("shmem rss")
    swap = StringField("swap")
    pgtables_bytes = StringField("page-table bytes")
    oom_score_adj = StringField("oom_score_adj")  # checked with the whole scenario


class CgroupForm(Form):
    path = HiddenField()
    memory_max = StringField("memory.max", description="pages, a size, or max")
    swap_max = StringField("swap.max")
    oom_group = BooleanField("memory.oom.group")


class PlaygroundForm(FlaskForm):
    scenario = HiddenField()  # the whole document as JSON; the fields below override parts
    kernel = StringField("Kernel version")
    ram = StringField("RAM (MemTotal)", description=SIZE_HINT)
    swap = StringField("Swap (SwapTotal)", description=SIZE_HINT)
    panic_on_oom = SelectField(
        "vm.panic_on_oom", choices=[SelectChoice(v) for v in ("0", "1", "2")]
    )
    oom_kill_allocating_task = BooleanField("vm.oom_kill_allocating_task")
    swappiness = StringField("vm.swappiness")
    tasks = FieldList(FormField(TaskForm))
    cgroups = FieldList(FormField(CgroupForm))

    def load(self, doc: dict[str, Any], pages: dict[int, dict[str, int]]) -> None:
        """Fill the fields from a scenario document (sizes shown in pages)."""
        machine = doc.get("machine", {})
        sysctls = doc.get("sysctls", {})
        self.scenario.data = json.dumps(doc)
        self.kernel.data = str(doc.get("kernel", "6.8"))
        self.ram.data = str(machine.get("ram", ""))
        self.swap.data = str(machine.get("swap", 0))
        self.panic_on_oom.data = str(sysctls.get("panic_on_oom", 0))
        self.oom_kill_allocating_task.data = bool(sysctls.get("oom_kill_allocating_task", 0))
        self.swappiness.data = str(sysctls.get("swappiness", 60))
        while self.tasks.entries:
            self.tasks.pop_entry()
        for task in doc.get("tasks", []):
            counters = pages.get(task.get("pid"), {})
            self.tasks.append_entry(
                {
                    "pid": task.get("pid"),
                    "rss_anon": str(counters.get("rss_anon", 0)),
                    "rss_file": str(counters.get("rss_file", 0)),
                    "rss_shmem": str(counters.get("rss_shmem", 0)),
                    "swap": str(counters.get("swapents", 0)),
                    "pgtables_bytes": str(task.get("pgtables_bytes", 0)),
                    "oom_score_adj": str(counters.get("oom_score_adj", 0)),
                }
            )
        while self.cgroups.entries:
            self.cgroups.pop_entry()
        for cgroup in doc.get("cgroups", []):
            self.cgroups.append_entry(
                {
                    "path": cgroup.get("path"),
                    "memory_max": str(cgroup.get("memory_max", "max")),
                    "swap_max": str(cgroup.get("swap_max", "max")),
                    "oom_group": bool(cgroup.get("oom_group", False)),
                }
            )

    def document(self) -> dict[str, Any]:
        """The scenario document with the edited values applied."""
        try:
            doc: dict[str, Any] = json.loads(self.scenario.data or "{}")
        except json.JSONDecodeError:
            doc = {}
        if not isinstance(doc, dict):
            doc = {}
        doc["kernel"] = (self.kernel.data or "").strip()
        machine = dict(doc.get("machine") or {})
        machine["ram"] = _size(self.ram.data)
        machine["swap"] = _size(self.swap.data or "0")
        doc["machine"] = machine
        sysctls = dict(doc.get("sysctls") or {})
        sysctls["panic_on_oom"] = int(self.panic_on_oom.data or 0)
        sysctls["oom_kill_allocating_task"] = bool(self.oom_kill_allocating_task.data)
        if (self.swappiness.data or "").strip():
            sysctls["swappiness"] = _number(self.swappiness.data)
        doc["sysctls"] = sysctls
        by_pid = {str(e.form.pid.data): e.form for e in self.tasks.entries}
        tasks = []
        for task in doc.get("tasks") or []:
            task = dict(task)
            edit = by_pid.get(str(task.get("pid")))
            if edit is not None:
                task.pop("rss", None)
                for key in ("rss_anon", "rss_file", "rss_shmem", "swap", "pgtables_bytes"):
                    task[key] = _size(getattr(edit, key).data or "0")
                if "pod" not in task and (edit.oom_score_adj.data or "").strip():
                    task["oom_score_adj"] = _number(edit.oom_score_adj.data)
            tasks.append(task)
        doc["tasks"] = tasks
        cg_edits = {e.form.path.data: e.form for e in self.cgroups.entries}
        cgroups = []
        for cgroup in doc.get("cgroups") or []:
            cgroup = dict(cgroup)
            edit = cg_edits.get(cgroup.get("path"))
            if edit is not None:
                cgroup["memory_max"] = _size(edit.memory_max.data or "max")
                if "memsw_max" not in cgroup and doc.get("cgroup_version", 2) == 2:
                    cgroup["swap_max"] = _size(edit.swap_max.data or "max")
                if doc.get("cgroup_version", 2) == 2:
                    cgroup["oom_group"] = bool(edit.oom_group.data)
            cgroups.append(cgroup)
        if cgroups:
            doc["cgroups"] = cgroups
        return doc


def _number(text: str | None) -> int | str:
    """An integer if it is one; otherwise the text, for the scenario validator to reject."""
    value = (text or "").strip()
    try:
        return int(value)
    except ValueError:
        return value


def _size(text: str | None) -> int | str:
    value = (text or "").strip()
    return int(value) if value.isdigit() else value


class ExplainForm(FlaskForm):
    report = TextAreaField(
        "Kernel OOM report",
        validators=[InputRequired("Paste the output of dmesg or journalctl -k.")],
        description="Paste from dmesg, dmesg -T or journalctl -k; several events are fine.",
        render_kw={"rows": 14, "spellcheck": "false"},
    )
    kernel = StringField("Kernel version", description="Only if the report does not show it.")
    ram = StringField("RAM (MemTotal)", description="e.g. 16GiB; global reports show Mem-Info.")
    swap = StringField("Swap (SwapTotal)", description="A memcg report never shows it.")
    swappiness = IntegerField(
        "vm.swappiness", default=60, validators=[Optional(), NumberRange(0, 200)]
    )
    oom_kill_allocating_task = BooleanField("vm.oom_kill_allocating_task was 1")
