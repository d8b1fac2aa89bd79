"""mlecourse: the numerical core of an open course on maximum likelihood estimation.

Numerics (``families``, ``optimize``, ``information``, ``inference``, ``glm``, ``mixture``,
``divergence``, ``models``, ``results``) are re-exported here flat. The views (``mlecourse.plotting``,
``mlecourse.widgets``) import matplotlib and ipywidgets only when used, so ``import mlecourse``
stays fast.
"""

from .check import check  # noqa: F401  (check() for the exercises; cheap to import)
from .divergence import *  # noqa: F403
from .families import *  # noqa: F403
from .glm import *  # noqa: F403
from .inference import *  # noqa: F403
from .information import *  # noqa: F403
from .mixture import *  # noqa: F403
from .models import *  # noqa: F403
from .optimize import *  # noqa: F403
from .results import *  # noqa: F403

__version__ = "0.1.0"
