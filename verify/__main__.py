"""``python -m verify FILE...``"""

from .cli import main

raise SystemExit(main())
