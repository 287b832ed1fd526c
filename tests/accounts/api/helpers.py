"""Helpers shared by the API tests."""

import io

import PIL.Image


def files_under(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    PIL.Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()
