// Credentials and authorization for internal maps (issue 4). Placeholder until the access model lands.
import CairnCore
