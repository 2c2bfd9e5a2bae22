from assistant_fake.cli import main

raise SystemExit(main())
