from mockcrm.cli import main

raise SystemExit(main())
