"""GET /crm/v8/workflow_configurations?module=X (not under /settings, as in Zoho)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockcrm.api.common import org_for, render, scope
from mockcrm.core.errors import param_missing

bp = Blueprint("workflow_configurations", __name__)


@bp.get("/crm/v8/workflow_configurations")
def get_configurations() -> Response:
    with org_for(scope("workflow_rules", "READ")) as org:
        module = request.args.get("module")
        if not module:
            raise param_missing("module", "required param not found")
        refs = {name: {**m, "name": m.get("module_name", name)} for name, m in org.modules.items()}
        return render({"workflow_configurations": org.catalogue.response(module, refs)})
