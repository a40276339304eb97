from core.navigation import menu_for


def navigation(request):
    """The role's menu for the top bar, with the entry of the current page marked active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    menu = menu_for(user)
    path = request.path
    # The longest matching URL wins, so that "/" (工作台) is active only on the home page itself.
    best = max(
        (item["url"] for item in menu if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))),
        key=len,
        default=None,
    )
    return {"nav_menu": [{**item, "active": item["url"] == best} for item in menu]}
