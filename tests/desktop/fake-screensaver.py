#!/usr/bin/python3
"""A screen saver on the session bus that says the screen is locked
(org.freedesktop.ScreenSaver.GetActive answers true), for the alarm tests.

usage: fake-screensaver.py   (python3-dbus and python3-gi)
"""
import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.ScreenSaver"
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()


class Saver(dbus.service.Object):
    def __init__(self):
        super().__init__(bus, "/org/freedesktop/ScreenSaver")

    @dbus.service.method(IFACE, in_signature="", out_signature="b")
    def GetActive(self):
        return True


name = dbus.service.BusName(IFACE, bus)
saver = Saver()
GLib.MainLoop().run()
