"""Small helpers every app's views share: role checks and turning service errors into form errors."""

from django.core.exceptions import PermissionDenied, ValidationError

from .errors import ApplicationError
from .roles import Role, has_role


def require_role(user, *roles: Role) -> None:
    """A second, explicit check for pages that only some roles use: 403 for the rest."""
    if not any(has_role(user, role) for role in roles):
        raise PermissionDenied("Your role cannot use this page.")


def add_service_error(form, error: ValidationError | ApplicationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else at the top."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
