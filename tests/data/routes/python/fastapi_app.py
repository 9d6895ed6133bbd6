from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter(prefix="/orders")


@router.get("/", response_model=list[dict])
async def list_orders(limit: int = 50):  # route: GET fastapi
    return []


@app.post("/orders", status_code=201)
async def create_order(body: dict):  # route: POST fastapi
    return body


@router.api_route("/sync", methods=["GET", "POST"])
def sync():  # route: GET,POST fastapi
    return {}


@app.on_event("startup")
async def startup():  # not-route
    pass


@router.get("/health")
def health():  # route: GET fastapi
    return {"ok": True}
